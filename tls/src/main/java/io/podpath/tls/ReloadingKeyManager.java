package io.podpath.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the current certificate. The alias it hands out names the material's generation, so that
 * one handshake gets chain and key from the same files even if a rotation lands mid-way.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private static final String PREFIX = "podpath-gen-";

  private final ReloadingTlsMaterial material;

  ReloadingKeyManager(ReloadingTlsMaterial material) {
    this.material = material;
  }

  private static String alias(ReloadingTlsMaterial.Snapshot s, String delegateAlias) {
    return delegateAlias == null ? null : PREFIX + s.generation();
  }

  private X509ExtendedKeyManager delegate(String alias) {
    if (alias == null || !alias.startsWith(PREFIX)) {
      return null;
    }
    try {
      ReloadingTlsMaterial.Snapshot s =
          material.generation(Long.parseLong(alias.substring(PREFIX.length())));
      return s == null ? null : s.material().keyManager();
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    ReloadingTlsMaterial.Snapshot s = material.snapshot();
    return alias(s, s.material().keyManager().chooseEngineServerAlias(keyType, issuers, engine));
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    ReloadingTlsMaterial.Snapshot s = material.snapshot();
    return alias(s, s.material().keyManager().chooseServerAlias(keyType, issuers, socket));
  }

  // Client side ignores the server's CA hints: there is one identity, and a server that rotated
  // its CA may still advertise the old one.
  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    ReloadingTlsMaterial.Snapshot s = material.snapshot();
    return alias(s, s.material().keyManager().chooseEngineClientAlias(keyType, null, engine));
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    ReloadingTlsMaterial.Snapshot s = material.snapshot();
    return alias(s, s.material().keyManager().chooseClientAlias(keyType, null, socket));
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String alias = chooseServerAlias(keyType, issuers, null);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String alias = chooseClientAlias(new String[] {keyType}, issuers, null);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    X509ExtendedKeyManager d = delegate(alias);
    return d == null ? null : d.getCertificateChain(TlsMaterial.KEY_ALIAS);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    X509ExtendedKeyManager d = delegate(alias);
    return d == null ? null : d.getPrivateKey(TlsMaterial.KEY_ALIAS);
  }
}
