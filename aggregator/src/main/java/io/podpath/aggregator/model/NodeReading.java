package io.podpath.aggregator.model;

import java.util.List;

/**
 * A node's MTUs and the remote IPs of its working tunnels, from GetNode: what the sweep reads from
 * agents that send no {@link NodeSummary}. MTUs are 0 when the agent could not read them.
 */
public record NodeReading(int podMtu, int underlayMtu, List<String> workingTunnelRemotes) {
  public NodeReading {
    workingTunnelRemotes = List.copyOf(workingTunnelRemotes);
  }
}
