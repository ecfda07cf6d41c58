package io.podpath.agent.checks;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * SCTP at the packet level (RFC 9260), for nodes whose kernel has no SCTP module: the INIT chunk a
 * probe sends through a raw socket, and the answer read back (IPv4: header first, as a raw socket
 * hands it over; IPv6: the SCTP packet alone). The checksum is CRC32c over the SCTP packet alone,
 * stored little-endian, so both families send the same bytes.
 */
public final class SctpPacket {
  /** The IP protocol number. */
  public static final int PROTOCOL = 132;

  static final int CHUNK_INIT = 1;
  static final int CHUNK_INIT_ACK = 2;
  static final int CHUNK_ABORT = 6;
  private static final int COMMON_HEADER = 12;

  private SctpPacket() {}

  /** What answered an INIT. */
  public enum Answer {
    /** A listener: the association would be set up. */
    INIT_ACK,
    /** No listener on the port (the stack's out-of-the-blue answer). */
    ABORT
  }

  /** The answer {@code ipPacket} carries and the address it came from. */
  public record Reply(Answer answer, String from) {}

  /**
   * One INIT chunk from {@code sport} to {@code dport}: {@code tag} is its initiate tag (never 0),
   * which the answer carries as its verification tag; {@code tsn} the initial TSN.
   */
  public static byte[] init(int sport, int dport, int tag, int tsn) {
    if (tag == 0) {
      throw new IllegalArgumentException("initiate tag: never 0 (RFC 9260 3.3.2)");
    }
    ByteBuffer b = ByteBuffer.allocate(COMMON_HEADER + 20);
    b.putShort((short) sport).putShort((short) dport).putInt(0).putInt(0);
    b.put((byte) CHUNK_INIT).put((byte) 0).putShort((short) 20);
    b.putInt(tag).putInt(65_535).putShort((short) 10).putShort((short) 10).putInt(tsn);
    byte[] p = b.array();
    int crc = checksum(p);
    // the CRC32c's bytes go out least significant first (RFC 9260 appendix A)
    p[8] = (byte) crc;
    p[9] = (byte) (crc >>> 8);
    p[10] = (byte) (crc >>> 16);
    p[11] = (byte) (crc >>> 24);
    return p;
  }

  /** CRC32c of an SCTP packet with its checksum field taken as zero. */
  static int checksum(byte[] sctp) {
    CRC32C c = new CRC32C();
    c.update(sctp, 0, 8);
    c.update(new byte[4]);
    c.update(sctp, COMMON_HEADER, sctp.length - COMMON_HEADER);
    return (int) c.getValue();
  }

  /**
   * The answer to the INIT that {@link #init}{@code (sport, dport, tag, ...)} built, when {@code
   * ipPacket} (an IPv4 packet, header first) is one; see {@link #answerIn}.
   */
  public static Optional<Reply> answerTo(byte[] ipPacket, int sport, int dport, int tag) {
    if (ipPacket.length < 20 || (ipPacket[0] & 0xf0) != 0x40 || (ipPacket[9] & 0xff) != PROTOCOL) {
      return Optional.empty();
    }
    int ihl = (ipPacket[0] & 0x0f) * 4;
    if (ihl < 20 || ipPacket.length < ihl) {
      return Optional.empty();
    }
    String src =
        (ipPacket[12] & 0xff)
            + "."
            + (ipPacket[13] & 0xff)
            + "."
            + (ipPacket[14] & 0xff)
            + "."
            + (ipPacket[15] & 0xff);
    return answerIn(Arrays.copyOfRange(ipPacket, ihl, ipPacket.length), src, sport, dport, tag);
  }

  /**
   * The answer to the INIT that {@link #init}{@code (sport, dport, tag, ...)} built, when {@code
   * sctp} (an SCTP packet from {@code from}, as an IPv6 raw socket reads it) is one: the ports
   * reversed, {@code tag} as its verification tag, a valid checksum and an INIT-ACK or ABORT as its
   * first chunk. Empty for anything else (another exchange, a bad checksum, a short packet).
   */
  public static Optional<Reply> answerIn(byte[] sctp, String from, int sport, int dport, int tag) {
    if (sctp.length < COMMON_HEADER + 4) {
      return Optional.empty();
    }
    ByteBuffer h = ByteBuffer.wrap(sctp);
    int src = h.getShort(0) & 0xffff;
    int dst = h.getShort(2) & 0xffff;
    int crc =
        (sctp[8] & 0xff)
            | (sctp[9] & 0xff) << 8
            | (sctp[10] & 0xff) << 16
            | (sctp[11] & 0xff) << 24;
    if (src != dport || dst != sport || h.getInt(4) != tag || crc != checksum(sctp)) {
      return Optional.empty();
    }
    return switch (sctp[COMMON_HEADER] & 0xff) {
      case CHUNK_INIT_ACK -> Optional.of(new Reply(Answer.INIT_ACK, from));
      case CHUNK_ABORT -> Optional.of(new Reply(Answer.ABORT, from));
      default -> Optional.empty();
    };
  }
}
