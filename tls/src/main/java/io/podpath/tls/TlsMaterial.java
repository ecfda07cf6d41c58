package io.podpath.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One consistent identity read from {@link TlsFiles}: chain, key and trusted CAs, plus the JDK key
 * and trust managers built from them. Immutable; rotation makes a new one.
 */
public record TlsMaterial(
    List<X509Certificate> chain,
    PrivateKey key,
    List<X509Certificate> trustedCas,
    X509ExtendedKeyManager keyManager,
    X509ExtendedTrustManager trustManager) {

  static final String KEY_ALIAS = "podpath";
  private static final char[] NO_PASSWORD = new char[0];

  /** The raw bytes of the three files; read together so a rotation can be detected by content. */
  @SuppressWarnings("ArrayRecordComponent") // compared by content only, through sameAs
  record Contents(byte[] cert, byte[] key, byte[] ca) {
    static Contents read(TlsFiles files) {
      return new Contents(
          readFile(files.certChain(), "certificate"),
          readFile(files.privateKey(), "private key"),
          readFile(files.trustedCa(), "CA"));
    }

    boolean sameAs(Contents other) {
      return other != null
          && Arrays.equals(cert, other.cert)
          && Arrays.equals(key, other.key)
          && Arrays.equals(ca, other.ca);
    }
  }

  public static TlsMaterial load(TlsFiles files) {
    return parse(Contents.read(files), files);
  }

  static TlsMaterial parse(Contents contents, TlsFiles files) {
    List<X509Certificate> chain = Pem.certificates(contents.cert(), files.certChain().toString());
    PrivateKey key = Pem.privateKey(contents.key(), files.privateKey().toString());
    List<X509Certificate> cas = Pem.certificates(contents.ca(), files.trustedCa().toString());
    requireKeyMatches(chain.get(0), key, files);
    try {
      KeyStore identity = KeyStore.getInstance("PKCS12");
      identity.load(null, null);
      identity.setKeyEntry(KEY_ALIAS, key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
      kmf.init(identity, NO_PASSWORD);

      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        trust.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trust);
      return new TlsMaterial(
          chain, key, cas, only(kmf.getKeyManagers()), onlyTrust(tmf.getTrustManagers()));
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsMaterialException("cannot build key/trust managers: " + e, e);
    }
  }

  /** A half-finished rotation (new cert, old key) must not be served: sign and verify to check. */
  private static void requireKeyMatches(X509Certificate leaf, PrivateKey key, TlsFiles files) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] probe = "podpath-key-check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // Different key types land here too: same message as a mismatch.
    }
    throw new TlsMaterialException(
        files.privateKey() + " does not match the first certificate of " + files.certChain());
  }

  private static byte[] readFile(Path path, String what) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new TlsMaterialException("cannot read " + what + " file " + path + ": " + e, e);
    }
  }

  private static X509ExtendedKeyManager only(KeyManager[] managers) {
    for (KeyManager m : managers) {
      if (m instanceof X509ExtendedKeyManager x) {
        return x;
      }
    }
    throw new TlsMaterialException("JDK offers no X509ExtendedKeyManager");
  }

  private static X509ExtendedTrustManager onlyTrust(TrustManager[] managers) {
    for (TrustManager m : managers) {
      if (m instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new TlsMaterialException("JDK offers no X509ExtendedTrustManager");
  }
}
