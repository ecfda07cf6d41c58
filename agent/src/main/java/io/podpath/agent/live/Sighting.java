package io.podpath.agent.live;

import java.util.Optional;

/**
 * One frame of the marked packet on one interface: when (this node's clock), where, which way, the
 * (inner) IP headers, and the tunnel around it when encapsulated.
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
    Optional<Encap> encap) {

  /** The outer headers of an encapsulated frame. */
  public record Encap(String type, String outerSrc, String outerDst, int udpPort, long vni) {}
}
