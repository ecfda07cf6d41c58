package io.podpath.agent.ovn;

import java.util.Map;

/** A Northbound ACL row (what a logical flow's stage-hint points to). */
public record AclInfo(
    String uuid,
    String action,
    String direction,
    String match,
    int priority,
    String name,
    Map<String, String> externalIds) {
  public AclInfo {
    externalIds = Map.copyOf(externalIds);
  }
}
