package io.podpath.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The few DER operations needed to rewrap PKCS#1 and SEC1 keys as PKCS#8, which is the only
 * encoding the JDK's KeyFactory reads. Not a general ASN.1 library.
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int SEQUENCE = 0x30;
  static final int CONTEXT_0 = 0xA0;

  // 1.2.840.113549.1.1.1 rsaEncryption and 1.2.840.10045.2.1 id-ecPublicKey, DER-encoded.
  static final byte[] RSA_ENCRYPTION_OID =
      tlv(OID, new byte[] {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 1, 1, 1});
  static final byte[] EC_PUBLIC_KEY_OID =
      tlv(OID, new byte[] {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 2, 1});

  private Der() {}

  /** One element read from a buffer: its tag, where its content starts, and where it ends. */
  record Element(int tag, int contentStart, int end) {}

  static Element read(byte[] der, int offset) {
    if (offset + 2 > der.length) {
      throw new IllegalArgumentException("truncated DER at " + offset);
    }
    int tag = der[offset] & 0xFF;
    int lengthByte = der[offset + 1] & 0xFF;
    int pos = offset + 2;
    int length;
    if (lengthByte < 0x80) {
      length = lengthByte;
    } else {
      int count = lengthByte & 0x7F;
      if (count == 0 || count > 3 || pos + count > der.length) {
        throw new IllegalArgumentException("unsupported DER length at " + offset);
      }
      length = 0;
      for (int i = 0; i < count; i++) {
        length = (length << 8) | (der[pos++] & 0xFF);
      }
    }
    if (pos + length > der.length) {
      throw new IllegalArgumentException("truncated DER at " + offset);
    }
    return new Element(tag, pos, pos + length);
  }

  static byte[] slice(byte[] der, int from, int to) {
    return Arrays.copyOfRange(der, from, to);
  }

  static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length);
    } else {
      out.write(0x83);
      out.write(length >> 16);
      out.write(length >> 8);
      out.write(length);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
