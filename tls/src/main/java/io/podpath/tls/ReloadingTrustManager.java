package io.podpath.tls;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts only the configured CA, re-read on rotation. A refused peer is logged with its subject and
 * the reason, so "why was the aggregator refused" is answered by the agent's log.
 *
 * <p>As a client it either checks the server's name against the address dialled (the default), or,
 * when {@code serverName} is given, against that fixed name: in a cluster every agent shares one
 * certificate whose SAN cannot list every node IP.
 */
final class ReloadingTrustManager extends X509ExtendedTrustManager {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingTrustManager.class);
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private final ReloadingTlsMaterial material;
  private final Optional<String> peerName;

  /**
   * @param peerName as a client: the name the server's certificate must carry instead of the
   *     address dialled; as a server: the name (SAN or CN) a client's certificate must carry, on
   *     top of chaining to the CA. Empty: any certificate from the CA.
   */
  ReloadingTrustManager(ReloadingTlsMaterial material, Optional<String> peerName) {
    this.material = material;
    this.peerName = peerName;
  }

  private X509ExtendedTrustManager delegate() {
    return material.current().trustManager();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    client(chain, tm -> tm.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    client(chain, tm -> tm.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    client(chain, tm -> tm.checkClientTrusted(chain, authType));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    server(chain, authType, tm -> tm.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    server(chain, authType, tm -> tm.checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    server(chain, authType, tm -> tm.checkServerTrusted(chain, authType));
  }

  /** One of the JDK trust manager's check methods, run against the current CA. */
  @FunctionalInterface
  private interface ChainCheck {
    void check(X509ExtendedTrustManager trustManager) throws CertificateException;
  }

  private void client(X509Certificate[] chain, ChainCheck check) throws CertificateException {
    try {
      check.check(delegate());
      if (peerName.isPresent()) {
        requireClientName(chain[0], peerName.get());
      }
    } catch (CertificateException e) {
      throw refused("client", chain, e);
    }
  }

  /**
   * With a fixed peer name, the name check replaces the JDK's endpoint identification (which would
   * compare the certificate with the address dialled); otherwise {@code withEndpoint} does both.
   */
  private void server(X509Certificate[] chain, String authType, ChainCheck withEndpoint)
      throws CertificateException {
    try {
      if (peerName.isPresent()) {
        delegate().checkServerTrusted(chain, authType);
        requireName(chain[0], peerName.get());
      } else {
        withEndpoint.check(delegate());
      }
    } catch (CertificateException e) {
      throw refused("server", chain, e);
    }
  }

  /**
   * Empty on purpose: OpenSSL-backed servers advertise this list once, at context creation, as the
   * CA names a client certificate must come from, so after a CA rotation clients would withhold
   * their new certificate. Trust is decided in the check methods, from the current files.
   */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }

  private static CertificateException refused(
      String role, X509Certificate[] chain, CertificateException cause) {
    String subject =
        chain == null || chain.length == 0
            ? "(no certificate)"
            : chain[0].getSubjectX500Principal().getName();
    String message = "refused " + role + " certificate " + subject + ": " + reason(chain, cause);
    LOG.warn(message);
    return RefusalAlerts.refusal(message, cause);
  }

  private static String reason(X509Certificate[] chain, CertificateException cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CertPathBuilderException && chain.length > 0) {
        return "not signed by the configured CA (issuer "
            + chain[chain.length - 1].getIssuerX500Principal().getName()
            + ")";
      }
      if (t instanceof CertificateExpiredException) {
        return "expired (" + t.getMessage() + ")";
      }
      if (t instanceof CertificateNotYetValidException) {
        return "not yet valid (" + t.getMessage() + ")";
      }
    }
    return rootMessage(cause);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + root + ")";
  }

  /** Client certificates often name their holder in the CN only (openssl req -subj): accept it. */
  static void requireClientName(X509Certificate leaf, String expected) throws CertificateException {
    String want = expected.toLowerCase(Locale.ROOT);
    if (commonName(leaf).map(cn -> cn.toLowerCase(Locale.ROOT).equals(want)).orElse(false)) {
      return;
    }
    try {
      requireName(leaf, expected);
    } catch (CertificateException e) {
      throw new CertificateException(
          "client certificate " + leaf.getSubjectX500Principal().getName() + " is not " + expected);
    }
  }

  private static Optional<String> commonName(X509Certificate leaf) {
    try {
      LdapName dn = new LdapName(leaf.getSubjectX500Principal().getName());
      for (Rdn rdn : dn.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return Optional.of(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  static void requireName(X509Certificate leaf, String expected) throws CertificateException {
    List<String> names = subjectAltNames(leaf);
    String want = expected.toLowerCase(Locale.ROOT);
    boolean isIp = isIpLiteral(want);
    for (String name : names) {
      if (name.equals(want)) {
        return;
      }
      if (isIp && sameAddress(name, want)) {
        return;
      }
    }
    throw new CertificateException("server certificate names " + names + ", expected " + expected);
  }

  private static boolean isIpLiteral(String s) {
    return s.matches("[0-9.]+") || (s.matches("[0-9a-f:.]+") && s.contains(":"));
  }

  /** Compares literals only: a DNS name never triggers a lookup here. */
  private static boolean sameAddress(String a, String b) {
    if (!isIpLiteral(a) || !isIpLiteral(b)) {
      return false;
    }
    try {
      return InetAddress.getByName(a).equals(InetAddress.getByName(b));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static List<String> subjectAltNames(X509Certificate leaf)
      throws CertificateParsingException {
    List<String> names = new ArrayList<>();
    Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
    if (sans != null) {
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        if (type == SAN_DNS || type == SAN_IP) {
          names.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }
}
