package io.podpath.aggregator.model;

import java.util.List;
import java.util.Optional;

/**
 * What a node's agent says about itself for the cluster checks. MTUs are 0 when the agent could not
 * read them; {@code error} is "" unless reading the tunnels failed.
 *
 * @param tunnelPodMtu the largest pod MTU the node's tunnels carry (0: the agent does not say)
 * @param smallPod the node's pod whose own eth0 MTU is below the node's pod MTU, if any
 */
public record NodeSummary(
    int underlayMtu,
    int podMtu,
    int workingTunnels,
    int brokenTunnels,
    boolean tunnelsMatchPeerSet,
    List<String> tunnelRemoteIps,
    String error,
    int tunnelPodMtu,
    Optional<SmallPod> smallPod) {
  /** A pod ("ns/name") and its eth0 MTU. */
  public record SmallPod(String pod, int mtu) {}

  public NodeSummary {
    tunnelRemoteIps = List.copyOf(tunnelRemoteIps);
  }
}
