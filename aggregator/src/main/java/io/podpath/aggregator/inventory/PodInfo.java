package io.podpath.aggregator.inventory;

import java.util.List;
import java.util.Map;

/**
 * What podpath needs from a Pod. {@code node} is empty while unscheduled; {@code ips} are canonical
 * literals; {@code hostNetwork} pods share their node's IP and have no OVS port.
 */
public record PodInfo(
    ObjectRef ref,
    String node,
    List<String> ips,
    String hostIp,
    Map<String, String> labels,
    String phase,
    boolean ready,
    boolean hostNetwork) {
  public PodInfo {
    ips = List.copyOf(ips);
    labels = Map.copyOf(labels);
  }
}
