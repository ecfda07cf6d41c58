package io.podpath.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Certificates for tests, made with BouncyCastle (a test-only dependency). */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  enum KeyType {
    RSA,
    EC
  }

  enum Usage {
    SERVER,
    CLIENT,
    BOTH
  }

  record Issued(X509Certificate cert, KeyPair keys) {}

  static KeyPair keys(KeyType type) throws Exception {
    if (type == KeyType.RSA) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static Issued ca(String cn, KeyType type) throws Exception {
    KeyPair keys = keys(type);
    X500Name name = new X500Name("CN=" + cn);
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(365))),
            name,
            keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new Issued(sign(b, keys.getPrivate()), keys);
  }

  static Issued leaf(
      Issued ca,
      String cn,
      KeyType type,
      Usage usage,
      Instant notBefore,
      Instant notAfter,
      String... sans)
      throws Exception {
    KeyPair keys = keys(type);
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            ca.cert(),
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(notBefore),
            Date.from(notAfter),
            new X500Name("CN=" + cn),
            keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    int ku =
        type == KeyType.RSA
            ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
            : KeyUsage.digitalSignature;
    b.addExtension(Extension.keyUsage, true, new KeyUsage(ku));
    KeyPurposeId[] purposes =
        switch (usage) {
          case SERVER -> new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth};
          case CLIENT -> new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth};
          case BOTH ->
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth};
        };
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
    if (sans.length > 0) {
      GeneralName[] names = new GeneralName[sans.length];
      for (int i = 0; i < sans.length; i++) {
        names[i] =
            sans[i].matches("[0-9.]+")
                ? new GeneralName(GeneralName.iPAddress, sans[i])
                : new GeneralName(GeneralName.dNSName, sans[i]);
      }
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    }
    return new Issued(sign(b, ca.keys().getPrivate()), keys);
  }

  static Issued leaf(Issued ca, String cn, KeyType type, Usage usage, String... sans)
      throws Exception {
    Instant now = Instant.now();
    return leaf(
        ca, cn, type, usage, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), sans);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws Exception {
    String alg = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
  }

  static String pem(Object... objects) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        w.writeObject(o);
      }
    }
    return out.toString();
  }

  /** PKCS#8 ("PRIVATE KEY"). */
  static String pkcs8(PrivateKey key) throws IOException {
    return pem(new PemObject("PRIVATE KEY", key.getEncoded()));
  }

  /** PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"), as openssl's legacy tools write. */
  static String traditional(PrivateKey key) throws IOException {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    if (key.getAlgorithm().equals("RSA")) {
      return pem(
          new PemObject("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded()));
    }
    // SEC1 as openssl writes it: the curve inside the key, in [0] parameters.
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    ECPrivateKey sec1 =
        new ECPrivateKey(
            256,
            inner.getKey(),
            inner.getPublicKey(),
            info.getPrivateKeyAlgorithm().getParameters());
    return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
  }

  /** Writes cert (+ chain), PKCS#8 key and CA bundle into dir; returns the file set. */
  static TlsFiles write(Path dir, Issued leaf, List<X509Certificate> cas) throws IOException {
    Files.createDirectories(dir);
    TlsFiles files =
        new TlsFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("ca.crt"));
    replace(files, leaf, cas);
    return files;
  }

  /** Rewrites the files in place, as a rotation does. */
  static void replace(TlsFiles files, Issued leaf, List<X509Certificate> cas) throws IOException {
    Files.writeString(files.certChain(), pem(leaf.cert()), StandardCharsets.US_ASCII);
    Files.writeString(files.privateKey(), pkcs8(leaf.keys().getPrivate()));
    Files.writeString(files.trustedCa(), pem(cas.toArray()));
  }

  private TestPki() {}
}
