package io.podpath.aggregator.inventory;

import java.util.List;

/**
 * A Node: its (first) InternalIP, the IP its tunnels use (OVN-Kubernetes encap annotations, else
 * the primary interface address, else InternalIP), its pod subnets, and every InternalIP (a
 * dual-stack node's tunnels may use its IPv6 one where no CNI annotation says so).
 */
public record NodeInfo(
    String name,
    String internalIp,
    String encapIp,
    List<String> podSubnets,
    List<String> internalIps) {
  public NodeInfo {
    podSubnets = List.copyOf(podSubnets);
    internalIps = List.copyOf(internalIps);
  }

  public NodeInfo(String name, String internalIp, String encapIp, List<String> podSubnets) {
    this(
        name,
        internalIp,
        encapIp,
        podSubnets,
        internalIp.isEmpty() ? List.of() : List.of(internalIp));
  }
}
