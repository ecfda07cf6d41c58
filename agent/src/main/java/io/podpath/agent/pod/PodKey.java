package io.podpath.agent.pod;

import java.util.Optional;

/** A pod by namespace and name (already validated as DNS-1123 by the caller). */
public record PodKey(String namespace, String name) {

  /** The OVS external_ids:iface-id OVN-Kubernetes gives the pod's interface. */
  public String ifaceId() {
    return namespace + "_" + name;
  }

  /** Splits an iface-id at its first '_' (a namespace, a DNS-1123 label, has none). */
  public static Optional<PodKey> fromIfaceId(String ifaceId) {
    int i = ifaceId.indexOf('_');
    if (i <= 0 || i == ifaceId.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(new PodKey(ifaceId.substring(0, i), ifaceId.substring(i + 1)));
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
