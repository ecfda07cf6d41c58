package io.podpath.aggregator.inventory;

import java.util.List;

/** A NetworkPolicy by name with its policy types (Ingress, Egress). */
public record PolicyInfo(ObjectRef ref, List<String> policyTypes) {
  public PolicyInfo {
    policyTypes = List.copyOf(policyTypes);
  }
}
