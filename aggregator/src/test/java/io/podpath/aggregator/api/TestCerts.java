package io.podpath.aggregator.api;

import io.podpath.tls.TlsFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
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
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * Real certificates for the CLI listener's tests, made with BouncyCastle as tls/'s TestPki does (EC
 * P-256, proper key usages), written as the PEM files the flags point at.
 */
public final class TestCerts {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  public record Issued(X509Certificate cert, KeyPair keys) {}

  public enum Usage {
    SERVER,
    CLIENT
  }

  private TestCerts() {}

  public static Issued ca(String cn) throws Exception {
    KeyPair keys = keys();
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

  /** A leaf valid from an hour ago for 30 days. */
  public static Issued leaf(Issued ca, String cn, Usage usage, String... sans) throws Exception {
    Instant now = Instant.now();
    return leaf(ca, cn, usage, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), sans);
  }

  public static Issued leaf(
      Issued ca, String cn, Usage usage, Instant notBefore, Instant notAfter, String... sans)
      throws Exception {
    KeyPair keys = keys();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            ca.cert(),
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(notBefore),
            Date.from(notAfter),
            new X500Name("CN=" + cn),
            keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    KeyPurposeId purpose =
        usage == Usage.SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth;
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
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

  /** tls.crt, tls.key (PKCS#8) and ca.crt in {@code dir}. */
  public static TlsFiles write(Path dir, Issued leaf, Issued ca) throws IOException {
    Files.createDirectories(dir);
    TlsFiles files =
        new TlsFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("ca.crt"));
    Files.writeString(files.certChain(), pem(leaf.cert()));
    Files.writeString(
        files.privateKey(),
        pem(new PemObject("PRIVATE KEY", leaf.keys().getPrivate().getEncoded())));
    Files.writeString(files.trustedCa(), pem(ca.cert()));
    return files;
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }
}
