package io.podpath.agent.live;

import io.podpath.agent.ip.IpLiteral;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads an accepted frame back into a {@link Sighting} and checks it against the match again, so a
 * frame is reported only when its headers say it belongs to the marked exchange (the filter
 * narrows, this decides). IPv4 and IPv6 (without extension headers), plain or inside Geneve/VXLAN
 * over an IPv4 or IPv6 underlay. Bounds are checked at every read: a short or odd frame is skipped,
 * never thrown on.
 */
public final class FrameDecoder {
  private FrameDecoder() {}

  /** The sighting, or empty when {@code f} is not the marked packet. */
  public static Optional<Sighting> decode(
      byte[] f, LiveMatch m, long atMicros, String iface, String direction) {
    int ethType = u16(f, 12);
    if (ethType != 0x0800 && ethType != 0x86DD) {
      return Optional.empty();
    }
    boolean outer6 = ethType == 0x86DD;
    Optional<Sighting> plain = inner(f, 14, m, atMicros, iface, direction, Optional.empty());
    if (plain.isPresent()) {
      return plain;
    }
    int udp;
    if (outer6) {
      if (u8(f, 20) != 17) {
        return Optional.empty();
      }
      udp = 14 + 40;
    } else {
      int ihl = (u8(f, 14) & 0xf) * 4;
      if (u8(f, 23) != 17 || ihl < 20) {
        return Optional.empty();
      }
      udp = 14 + ihl;
    }
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
    if (u16(f, innerEth + 12) != (m.v6() ? 0x86DD : 0x0800)) {
      return Optional.empty();
    }
    Sighting.Encap encap =
        outer6
            ? new Sighting.Encap(type, ip(f, 14 + 8, 16), ip(f, 14 + 24, 16), dport, vni)
            : new Sighting.Encap(type, ip(f, 14 + 12, 4), ip(f, 14 + 16, 4), dport, vni);
    return inner(f, innerEth + 14, m, atMicros, iface, direction, Optional.of(encap));
  }

  /** The IP header at {@code ipAt}, of the match's family. */
  private static Optional<Sighting> inner(
      byte[] f,
      int ipAt,
      LiveMatch m,
      long atMicros,
      String iface,
      String direction,
      Optional<Sighting.Encap> encap) {
    int version = u8(f, ipAt) >> 4;
    if (version != (m.v6() ? 6 : 4) || ipAt + (m.v6() ? 40 : 20) > f.length) {
      return Optional.empty();
    }
    IpHeader h = m.v6() ? v6(f, ipAt) : v4(f, ipAt);
    byte[] src = Arrays.copyOfRange(f, h.srcAt(), h.srcAt() + h.addrLen());
    byte[] dst = Arrays.copyOfRange(f, h.srcAt() + h.addrLen(), h.srcAt() + 2 * h.addrLen());
    byte[] a = m.srcIp().getAddress();
    byte[] b = m.dstIp().getAddress();
    boolean anEnd =
        Arrays.equals(src, a)
            || Arrays.equals(src, b)
            || Arrays.equals(dst, a)
            || Arrays.equals(dst, b);
    int l4 = h.l4();
    if (!h.ok() || l4 + 8 > f.length || h.proto() != m.ipProto() || !anEnd) {
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
      if (u16(f, l4 + 4) != m.mark()
          || (icmpType != m.echoReply() && icmpType != m.echoRequest())) {
        return Optional.empty();
      }
      reply = icmpType == m.echoReply();
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
            ip(f, h.srcAt(), h.addrLen()),
            ip(f, h.srcAt() + h.addrLen(), h.addrLen()),
            h.proto(),
            sport,
            dport,
            h.ipId(),
            h.totalLength(),
            reply,
            Math.max(flags, 0),
            Math.max(chunk, 0),
            icmpType,
            encap));
  }

  /**
   * What the decoder needs of an IP header: whether it is a first fragment of a known length, the
   * protocol, the addresses' offset and length, the transport header's offset, the IPv4 id (0 in
   * IPv6) and the total length (IPv6: payload + 40).
   */
  private record IpHeader(
      boolean ok, int proto, int srcAt, int addrLen, int l4, int ipId, int totalLength) {}

  private static IpHeader v4(byte[] f, int at) {
    int ihl = (u8(f, at) & 0xf) * 4;
    boolean firstFragment = (u16(f, at + 6) & 0x1fff) == 0;
    return new IpHeader(
        ihl >= 20 && firstFragment,
        u8(f, at + 9),
        at + 12,
        4,
        at + ihl,
        u16(f, at + 4),
        u16(f, at + 2));
  }

  /** A Fragment header (44) right after the fixed header: its first fragment only. */
  private static IpHeader v6(byte[] f, int at) {
    int nh = u8(f, at + 6);
    int total = u16(f, at + 4) + 40;
    if (nh == 44) {
      boolean first = (u16(f, at + 42) & 0xfff8) == 0;
      return new IpHeader(first, u8(f, at + 40), at + 8, 16, at + 48, 0, total);
    }
    return new IpHeader(true, nh, at + 8, 16, at + 40, 0, total);
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

  /** The address at {@code at} as OVS and iproute2 print it (IPv6: RFC 5952). */
  private static String ip(byte[] f, int at, int len) {
    if (at + len > f.length) {
      return "";
    }
    try {
      return IpLiteral.format(InetAddress.getByAddress(Arrays.copyOfRange(f, at, at + len)));
    } catch (UnknownHostException e) {
      return "";
    }
  }
}
