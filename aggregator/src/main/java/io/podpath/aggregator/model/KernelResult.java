package io.podpath.aggregator.model;

/**
 * What a node's kernel did with a packet OVS handed to it (or that the node made itself): the
 * agent's kernel hop, in the terms the stitcher reasons on.
 */
public sealed interface KernelResult {
  /**
   * Routed out of a device that is not an OVS port: the packet leaves the cluster. {@code
   * egressSource} is its source address after SNAT/MASQUERADE (empty when the agent did not say).
   */
  record Forwarded(String device, String gateway, String egressSource) implements KernelResult {}

  /** Routed to an OVS host-side port: the trace continues in OVS from that port. */
  record BackToOvs(String bridge, int ofport, String device, TracedPacket packet)
      implements KernelResult {}

  /** Accepted by INPUT: a process on the node receives it at {@code address}. */
  record DeliveredLocal(String address) implements KernelResult {}

  /** Dropped by the kernel; {@code causeCode} is stable ("ip-forward-off"), {@code cause} words. */
  record Dropped(String causeCode, String cause) implements KernelResult {}

  /** A rule podpath cannot evaluate could decide the packet's fate; {@code why} names it. */
  record Inconclusive(String why) implements KernelResult {}
}
