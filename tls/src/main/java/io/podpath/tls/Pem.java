package io.podpath.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM text: X.509 certificates and unencrypted private keys (RSA or EC). */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

  private Pem() {}

  /** A PEM block: its label (e.g. {@code CERTIFICATE}) and decoded bytes. */
  @SuppressWarnings("ArrayRecordComponent") // decoded once and parsed at once; never compared
  record Block(String label, byte[] der) {}

  static List<Block> blocks(String text) {
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String base64 = m.group(2).replaceAll("\\s", "");
      try {
        blocks.add(new Block(m.group(1), Base64.getDecoder().decode(base64)));
      } catch (IllegalArgumentException e) {
        throw new TlsMaterialException("bad base64 in PEM block " + m.group(1), e);
      }
    }
    return blocks;
  }

  /** Every CERTIFICATE block, in file order; other blocks are ignored. */
  public static List<X509Certificate> certificates(byte[] pem, String source) {
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks(new String(pem, StandardCharsets.US_ASCII))) {
        if (block.label().equals("CERTIFICATE")) {
          certs.add(
              (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
        }
      }
    } catch (CertificateException e) {
      throw new TlsMaterialException(source + ": not a valid X.509 certificate: " + e, e);
    }
    if (certs.isEmpty()) {
      throw new TlsMaterialException(source + ": no PEM CERTIFICATE block found");
    }
    return List.copyOf(certs);
  }

  /**
   * The first private key block: {@code PRIVATE KEY} (PKCS#8, RSA or EC), {@code RSA PRIVATE KEY}
   * (PKCS#1, what Helm's genCA/genPrivateKey and cert-manager's default write) or {@code EC PRIVATE
   * KEY} (SEC1, what {@code openssl ecparam -genkey} writes). Encrypted keys are refused.
   */
  public static PrivateKey privateKey(byte[] pem, String source) {
    for (Block block : blocks(new String(pem, StandardCharsets.US_ASCII))) {
      try {
        switch (block.label()) {
          case "PRIVATE KEY" -> {
            return pkcs8(block.der());
          }
          case "RSA PRIVATE KEY" -> {
            return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs1ToPkcs8(block.der())));
          }
          case "EC PRIVATE KEY" -> {
            return KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(ecSec1ToPkcs8(block.der())));
          }
          case "ENCRYPTED PRIVATE KEY" ->
              throw new TlsMaterialException(source + ": encrypted private keys are not supported");
          default -> {
            // not a key block (a certificate in the same file): look further
          }
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new TlsMaterialException(source + ": unreadable " + block.label() + ": " + e, e);
      }
    }
    throw new TlsMaterialException(source + ": no PEM private key block found");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
    byte[] algorithm = Der.tlv(Der.SEQUENCE, Der.RSA_ENCRYPTION_OID, new byte[] {Der.NULL, 0});
    return Der.tlv(
        Der.SEQUENCE, new byte[] {Der.INTEGER, 1, 0}, algorithm, Der.tlv(Der.OCTET_STRING, pkcs1));
  }

  /** SEC1 keeps the curve inside the key ([0] parameters); PKCS#8 wants it in the algorithm. */
  static byte[] ecSec1ToPkcs8(byte[] sec1) {
    Der.Element outer = Der.read(sec1, 0);
    if (outer.tag() != Der.SEQUENCE) {
      throw new IllegalArgumentException("SEC1 key is not a SEQUENCE");
    }
    byte[] curve = null;
    int pos = outer.contentStart();
    while (pos < outer.end()) {
      Der.Element e = Der.read(sec1, pos);
      if (e.tag() == Der.CONTEXT_0) {
        Der.Element oid = Der.read(sec1, e.contentStart());
        if (oid.tag() == Der.OID) {
          curve = Der.slice(sec1, e.contentStart(), oid.end());
        }
      }
      pos = e.end();
    }
    if (curve == null) {
      throw new IllegalArgumentException("SEC1 key names no curve");
    }
    byte[] algorithm = Der.tlv(Der.SEQUENCE, Der.EC_PUBLIC_KEY_OID, curve);
    return Der.tlv(
        Der.SEQUENCE, new byte[] {Der.INTEGER, 1, 0}, algorithm, Der.tlv(Der.OCTET_STRING, sec1));
  }
}
