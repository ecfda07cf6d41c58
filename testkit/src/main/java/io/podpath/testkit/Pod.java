package io.podpath.testkit;

import java.util.List;

/**
 * A sandbox pod: a network namespace whose eth0 is a veth into the node's br-int. {@code ip} is its
 * first address; {@code ips} all of them, first family first (two on a dual-stack sandbox).
 */
public record Pod(
    String namespace,
    String name,
    String node,
    String ip,
    String mac,
    String netns,
    String hostInterface,
    List<String> ips) {

  public Pod {
    ips = ips == null || ips.isEmpty() ? List.of(ip) : List.copyOf(ips);
  }

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

  /** The pod's address of {@code family} (4 or 6). */
  public String ip(int family) {
    return ips.stream()
        .filter(a -> IpFamily.of(a) == family)
        .findFirst()
        .orElseThrow(() -> new SandboxException(ref() + " has no IPv" + family + " address"));
  }
}
