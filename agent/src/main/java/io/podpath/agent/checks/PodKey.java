package io.podpath.agent.checks;

/** A pod by namespace and name; {@link #ifaceId()} is how OVN-Kubernetes names its OVS port. */
public record PodKey(String namespace, String name) {
  public String ifaceId() {
    return namespace + "_" + name;
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
