package io.podpath.aggregator.model;

import java.util.List;

/**
 * A node's tunnel ports as its agent reads them from OVSDB: the encapsulation it uses and each
 * port's remote IP ("flow" when the remote is set per flow, as Antrea and OpenShift SDN do).
 */
public record NodeTunnels(String encapType, List<String> remoteIps) {
  public NodeTunnels {
    remoteIps = List.copyOf(remoteIps);
  }

  /** Whether a port of this node can reach {@code remoteIp} (a per-flow port reaches any). */
  public boolean reaches(String remoteIp) {
    return remoteIps.contains(remoteIp) || remoteIps.contains("flow");
  }
}
