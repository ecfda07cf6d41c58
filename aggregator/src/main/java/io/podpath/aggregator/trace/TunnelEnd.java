package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.NodeInfo;

/** The sending node's end of a tunnel whose local address the agent could not read. */
final class TunnelEnd {
  private TunnelEnd() {}

  /**
   * The node's encap IP when it is of the remote end's family, else its InternalIP of that family
   * (a flow-based tunnel to an IPv6 peer leaves from the node's IPv6 address, as Antrea's does on
   * an IPv6 underlay), else the encap IP.
   */
  static String local(NodeInfo n, String remoteIp) {
    boolean v6 = remoteIp.contains(":");
    if (n.encapIp().contains(":") == v6) {
      return n.encapIp();
    }
    return n.internalIps().stream()
        .filter(a -> a.contains(":") == v6)
        .findFirst()
        .orElse(n.encapIp());
  }
}
