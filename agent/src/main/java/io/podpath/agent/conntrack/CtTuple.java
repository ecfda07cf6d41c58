package io.podpath.agent.conntrack;

import com.google.common.net.HostAndPort;

/**
 * One direction of a conntrack entry, or a traced packet: protocol ("tcp", "udp", "sctp", "icmp",
 * "icmpv6"), addresses as printed, and ports (0 for ICMP, whose id podpath does not trace).
 */
public record CtTuple(String proto, String src, String dst, int sport, int dport) {
  /** True when {@code packet} is this direction; ICMP matches on the addresses alone. */
  public boolean sameAs(CtTuple packet) {
    if (!proto.equals(packet.proto) || !src.equals(packet.src) || !dst.equals(packet.dst)) {
      return false;
    }
    return proto.startsWith("icmp") || (sport == packet.sport && dport == packet.dport);
  }

  @Override
  public String toString() {
    return proto.startsWith("icmp")
        ? proto + " " + src + " > " + dst
        : proto
            + " "
            + HostAndPort.fromParts(src, sport) // [fd00::3]:40000, as IPv6 needs
            + " > "
            + HostAndPort.fromParts(dst, dport);
  }
}
