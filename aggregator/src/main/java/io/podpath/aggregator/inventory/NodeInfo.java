package io.podpath.aggregator.inventory;

import java.util.List;

/**
 * A Node: its InternalIP, the IP its tunnels use (OVN-Kubernetes encap annotations, else the
 * primary interface address, else InternalIP) and its pod subnets.
 */
public record NodeInfo(String name, String internalIp, String encapIp, List<String> podSubnets) {
  public NodeInfo {
    podSubnets = List.copyOf(podSubnets);
  }
}
