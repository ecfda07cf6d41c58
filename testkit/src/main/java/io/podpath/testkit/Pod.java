package io.podpath.testkit;

/** A sandbox pod: a network namespace whose eth0 is a veth into the node's br-int. */
public record Pod(
    String namespace,
    String name,
    String node,
    String ip,
    String mac,
    String netns,
    String hostInterface) {

  /** {@code namespace/name}, the form probes and policies take. */
  public String ref() {
    return namespace + "/" + name;
  }

  /**
   * The OVS {@code external_ids:iface-id} and OVN logical port name, as OVN-Kubernetes names it.
   */
  public String ifaceId() {
    return namespace + "_" + name;
  }
}
