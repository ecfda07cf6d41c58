package io.podpath.agent.live;

import java.io.ByteArrayOutputStream;

/**
 * Ethernet frames as the wire carries them: plain IPv4 or IPv6 TCP/UDP/ICMP, and Geneve/VXLAN
 * around them over an IPv4 or IPv6 underlay.
 */
final class Frames {
  private Frames() {}

  static byte[] plain(String src, String dst, int proto, int sport, int dport, int fragOff) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    eth(b, 0x0800);
    ip(b, src, dst, proto, 20 + 20, fragOff);
    u16(b, sport);
    u16(b, dport);
    b.writeBytes(new byte[16]);
    return b.toByteArray();
  }

  /** An ICMP echo (type 8) or echo reply (type 0) with identifier {@code id}. */
  static byte[] icmp(String src, String dst, int type, int id, int fragOff) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    eth(b, 0x0800);
    ip(b, src, dst, 1, 20 + 16, fragOff);
    b.write(type);
    b.write(0);
    u16(b, 0);
    u16(b, id);
    u16(b, 1);
    b.writeBytes(new byte[8]);
    return b.toByteArray();
  }

  static byte[] geneve(String outerSrc, String outerDst, int optWords, long vni, byte[] inner) {
    return tunnel(outerSrc, outerDst, BpfFilter.GENEVE_PORT, optWords, vni, inner);
  }

  static byte[] vxlan(String outerSrc, String outerDst, long vni, byte[] inner) {
    return tunnel(outerSrc, outerDst, BpfFilter.VXLAN_PORT, 0, vni, inner);
  }

  /** A packet of IPv6 next header {@code nh} with ports (no extension headers). */
  static byte[] plain6(String src, String dst, int nh, int sport, int dport) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    eth(b, 0x86DD);
    ip6(b, src, dst, nh, 20);
    u16(b, sport);
    u16(b, dport);
    b.writeBytes(new byte[16]);
    return b.toByteArray();
  }

  /**
   * A fragment of an ICMPv6 echo request: Fragment header (44) at {@code offset} (8-byte units).
   */
  static byte[] icmp6Fragment(String src, String dst, int id, int offset) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    eth(b, 0x86DD);
    ip6(b, src, dst, 44, 8 + 16);
    b.write(58);
    b.write(0);
    u16(b, (offset << 3) | 1);
    b.writeBytes(new byte[] {0, 0, 0, 7});
    b.write(128);
    b.write(0);
    u16(b, 0);
    u16(b, offset == 0 ? id : 0x4141);
    u16(b, 1);
    b.writeBytes(new byte[8]);
    return b.toByteArray();
  }

  /** An ICMPv6 echo request (128) or reply (129) with identifier {@code id}. */
  static byte[] icmp6(String src, String dst, int type, int id) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    eth(b, 0x86DD);
    ip6(b, src, dst, 58, 16);
    b.write(type);
    b.write(0);
    u16(b, 0);
    u16(b, id);
    u16(b, 1);
    b.writeBytes(new byte[8]);
    return b.toByteArray();
  }

  /** Geneve over an IPv6 underlay. */
  static byte[] geneve6(String outerSrc, String outerDst, int optWords, long vni, byte[] inner) {
    return tunnel(outerSrc, outerDst, BpfFilter.GENEVE_PORT, optWords, vni, inner);
  }

  private static byte[] tunnel(
      String outerSrc, String outerDst, int port, int optWords, long vni, byte[] inner) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    boolean v6 = outerSrc.contains(":");
    eth(b, v6 ? 0x86DD : 0x0800);
    int udpLen = 8 + 8 + optWords * 4 + inner.length;
    if (v6) {
      ip6(b, outerSrc, outerDst, 17, udpLen);
    } else {
      ip(b, outerSrc, outerDst, 17, 20 + udpLen, 0);
    }
    u16(b, 55555);
    u16(b, port);
    u16(b, udpLen);
    u16(b, 0);
    b.write(optWords & 0x3f);
    b.write(0);
    u16(b, 0x6558);
    b.write((int) (vni >> 16) & 0xff);
    b.write((int) (vni >> 8) & 0xff);
    b.write((int) vni & 0xff);
    b.write(0);
    b.writeBytes(new byte[optWords * 4]);
    b.writeBytes(inner);
    return b.toByteArray();
  }

  private static void eth(ByteArrayOutputStream b, int type) {
    b.writeBytes(new byte[12]);
    u16(b, type);
  }

  private static void ip(
      ByteArrayOutputStream b, String s, String d, int proto, int len, int frag) {
    b.write(0x45);
    b.write(0);
    u16(b, len);
    u16(b, 0x1234);
    u16(b, frag);
    b.write(64);
    b.write(proto);
    u16(b, 0);
    addr(b, s);
    addr(b, d);
  }

  private static void ip6(ByteArrayOutputStream b, String s, String d, int nh, int payload) {
    b.write(0x60);
    b.writeBytes(new byte[3]);
    u16(b, payload);
    b.write(nh);
    b.write(64);
    b.writeBytes(com.google.common.net.InetAddresses.forString(s).getAddress());
    b.writeBytes(com.google.common.net.InetAddresses.forString(d).getAddress());
  }

  private static void addr(ByteArrayOutputStream b, String a) {
    for (String p : a.split("\\.")) {
      b.write(Integer.parseInt(p));
    }
  }

  private static void u16(ByteArrayOutputStream b, int v) {
    b.write((v >> 8) & 0xff);
    b.write(v & 0xff);
  }
}
