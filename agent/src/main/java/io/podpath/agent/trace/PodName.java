package io.podpath.agent.trace;

import java.util.Optional;

/** A Kubernetes pod by namespace and name. */
public record PodName(String namespace, String name) {
  /**
   * OVN-Kubernetes names a pod's logical port (OVS external_ids:iface-id) {@code <ns>_<pod>}; a
   * namespace cannot contain '_', so the first '_' splits them.
   */
  public static Optional<PodName> fromIfaceId(String ifaceId) {
    if (ifaceId == null) {
      return Optional.empty();
    }
    int u = ifaceId.indexOf('_');
    if (u <= 0 || u == ifaceId.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(new PodName(ifaceId.substring(0, u), ifaceId.substring(u + 1)));
  }

  public String ifaceId() {
    return namespace + "_" + name;
  }

  /** {@code ns/name}; a pod known only by its IP (namespace empty) prints as that IP. */
  @Override
  public String toString() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
