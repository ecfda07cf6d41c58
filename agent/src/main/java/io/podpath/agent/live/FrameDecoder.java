package io.podpath.agent.live;

import java.util.Optional;

/**
 * Reads an accepted frame back into a {@link Sighting} and checks it against the match again, so a
 * frame is reported only when its headers say it belongs to the marked exchange (the filter
 * narrows, this decides). Bounds are checked at every read: a short or odd frame is skipped, never
 * thrown on.
 */
public final class FrameDecoder {
  private FrameDecoder() {}

  /** The sighting, or empty when {@code f} is not the marked packet. */
  public static Optional<Sighting> decode(
      byte[] f, LiveMatch m, long atMicros, String iface, String direction) {
    if (u16(f, 12) != 0x0800) {
      return Optional.empty();
    }
    Optional<Sighting> plain = inner(f, 14, m, atMicros, iface, direction, Optional.empty());
    if (plain.isPresent()) {
      return plain;
    }
    int ihl = (u8(f, 14) & 0xf) * 4;
    if (u8(f, 23) != 17 || ihl < 20) {
      return Optional.empty();
    }
    int udp = 14 + ihl;
    int dport = u16(f, udp + 2);
    int hdr = udp + 8;
    int innerEth;
    String type;
    long vni = (u32(f, hdr + 4) >>> 8) & 0xffffffL;
    if (dport == BpfFilter.GENEVE_PORT) {
      type = "geneve";
      innerEth = hdr + 8 + (u8(f, hdr) & 0x3f) * 4;
    } else if (dport == BpfFilter.VXLAN_PORT) {
      type = "vxlan";
      innerEth = hdr + 8;
    } else {
      return Optional.empty();
    }
    if (u16(f, innerEth + 12) != 0x0800) {
      return Optional.empty();
    }
    var encap = new Sighting.Encap(type, ip(f, 14 + 12), ip(f, 14 + 16), dport, vni);
    return inner(f, innerEth + 14, m, atMicros, iface, direction, Optional.of(encap));
  }

  private static Optional<Sighting> inner(
      byte[] f,
      int ipAt,
      LiveMatch m,
      long atMicros,
      String iface,
      String direction,
      Optional<Sighting.Encap> encap) {
    if (ipAt + 20 > f.length || (u8(f, ipAt) >> 4) != 4) {
      return Optional.empty();
    }
    int ihl = (u8(f, ipAt) & 0xf) * 4;
    int l4 = ipAt + ihl;
    boolean firstFragment = (u16(f, ipAt + 6) & 0x1fff) == 0;
    int src = (int) u32(f, ipAt + 12);
    int dst = (int) u32(f, ipAt + 16);
    boolean anEnd =
        src == m.srcWord() || src == m.dstWord() || dst == m.srcWord() || dst == m.dstWord();
    if (ihl < 20
        || l4 + 8 > f.length
        || !firstFragment
        || u8(f, ipAt + 9) != m.protocol().ipProto()
        || !anEnd) {
      return Optional.empty();
    }
    int sport = u16(f, l4);
    int dport = u16(f, l4 + 2);
    boolean reply;
    int icmpType = -1;
    int flags = 0;
    int chunk = 0;
    if (m.protocol() == LiveMatch.Transport.ICMP) {
      icmpType = u8(f, l4);
      if (u16(f, l4 + 4) != m.mark() || (icmpType != 0 && icmpType != 8)) {
        return Optional.empty();
      }
      reply = icmpType == 0;
      sport = 0;
      dport = 0;
    } else if (sport == m.mark() || dport == m.mark()) {
      reply = sport != m.mark();
      if (m.protocol() == LiveMatch.Transport.TCP) {
        flags = u8(f, l4 + 13);
      } else if (m.protocol() == LiveMatch.Transport.SCTP) {
        chunk = u8(f, l4 + 12); // the first chunk, after the 12-byte common header
      }
    } else {
      return Optional.empty();
    }
    return Optional.of(
        new Sighting(
            atMicros,
            iface,
            direction,
            ip(f, ipAt + 12),
            ip(f, ipAt + 16),
            u8(f, ipAt + 9),
            sport,
            dport,
            u16(f, ipAt + 4),
            u16(f, ipAt + 2),
            reply,
            Math.max(flags, 0),
            Math.max(chunk, 0),
            icmpType,
            encap));
  }

  private static int u8(byte[] f, int at) {
    return at < f.length ? f[at] & 0xff : -1;
  }

  private static int u16(byte[] f, int at) {
    return at + 1 < f.length ? ((f[at] & 0xff) << 8) | (f[at + 1] & 0xff) : -1;
  }

  private static long u32(byte[] f, int at) {
    return at + 3 < f.length ? ((long) u16(f, at) << 16) | u16(f, at + 2) : -1;
  }

  private static String ip(byte[] f, int at) {
    return u8(f, at) + "." + u8(f, at + 1) + "." + u8(f, at + 2) + "." + u8(f, at + 3);
  }
}
