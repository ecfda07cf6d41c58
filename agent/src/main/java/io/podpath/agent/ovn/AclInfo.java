package io.podpath.agent.ovn;

import java.util.Map;
import java.util.OptionalInt;

/**
 * A Northbound ACL row (what a logical flow's stage-hint points to).
 *
 * @param priority empty when the row has no priority
 */
public record AclInfo(
    String uuid,
    String action,
    String direction,
    String match,
    OptionalInt priority,
    String name,
    Map<String, String> externalIds) {
  public AclInfo {
    externalIds = Map.copyOf(externalIds);
  }
}
