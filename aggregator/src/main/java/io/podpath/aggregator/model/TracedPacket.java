package io.podpath.aggregator.model;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A packet as it enters a node: addresses, ports or ICMP type, and — for a packet that left another
 * node by a tunnel — the MACs and TTL it left with (empty/0 means "let the agent choose"). {@code
 * size} is the IP total length (0 = a small packet); {@code allowFragmentation} false = DF set.
 */
public record TracedPacket(
    String srcIp,
    String dstIp,
    IpProtocol protocol,
    int srcPort,
    int dstPort,
    OptionalInt icmpType,
    int icmpCode,
    Optional<Link> link,
    int size,
    boolean allowFragmentation) {

  /** The layer-2 facts a packet left a node with. */
  public record Link(String srcMac, String dstMac, int ttl) {}

  /** A packet podpath builds itself: no layer-2 facts. */
  public static TracedPacket of(
      String srcIp,
      String dstIp,
      IpProtocol protocol,
      int srcPort,
      int dstPort,
      OptionalInt icmpType) {
    return new TracedPacket(
        srcIp, dstIp, protocol, srcPort, dstPort, icmpType, 0, Optional.empty(), 0, false);
  }

  public TracedPacket withDestination(String ip, int port) {
    return new TracedPacket(
        srcIp, ip, protocol, srcPort, port, icmpType, icmpCode, link, size, allowFragmentation);
  }

  public TracedPacket withSource(String ip, int port) {
    return new TracedPacket(
        ip, dstIp, protocol, port, dstPort, icmpType, icmpCode, link, size, allowFragmentation);
  }

  public TracedPacket withSize(int size, boolean allowFragmentation) {
    return new TracedPacket(
        srcIp,
        dstIp,
        protocol,
        srcPort,
        dstPort,
        icmpType,
        icmpCode,
        link,
        size,
        allowFragmentation);
  }

  /**
   * This packet with {@code origin}'s size and DF bit: an agent's answer (a tunnel's inner packet)
   * may not echo them, and neither changes on the way.
   */
  public TracedPacket sizedAs(TracedPacket origin) {
    return withSize(origin.size, origin.allowFragmentation);
  }
}
