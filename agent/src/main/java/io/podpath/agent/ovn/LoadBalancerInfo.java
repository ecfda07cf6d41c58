package io.podpath.agent.ovn;

import java.util.Map;

/** A load balancer (Northbound, or Southbound when the NB is out of reach). */
public record LoadBalancerInfo(
    String uuid, String name, Map<String, String> vips, Map<String, String> externalIds) {
  public LoadBalancerInfo {
    vips = Map.copyOf(vips);
    externalIds = Map.copyOf(externalIds);
  }
}
