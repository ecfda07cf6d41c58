package io.podpath.agent.live;

import java.util.Optional;

/**
 * One frame of the marked exchange on one interface: when (this node's clock), where, which way
 * through the interface, the (inner) IP headers, whether it is the reply (the 5-tuple reversed, an
 * ICMP echo reply), the TCP flags, SCTP first chunk type or ICMP type, and the tunnel around it
 * when encapsulated.
 */
public record Sighting(
    long atUnixMicros,
    String iface,
    String direction,
    String srcIp,
    String dstIp,
    int protocol,
    int srcPort,
    int dstPort,
    int ipId,
    int totalLength,
    boolean reply,
    int tcpFlags,
    int sctpChunk,
    int icmpType,
    Optional<Encap> encap) {

  /** The outer headers of an encapsulated frame. */
  public record Encap(String type, String outerSrc, String outerDst, int udpPort, long vni) {}
}
