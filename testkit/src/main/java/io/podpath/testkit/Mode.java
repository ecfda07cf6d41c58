package io.podpath.testkit;

/**
 * How the sandbox wires its nodes: OVN-Kubernetes style, plain OVS with static flows, or the node
 * layout and OpenFlow pipeline of another OVS-based CNI (hack/README.md).
 */
public enum Mode {
  OVN("ovn"),
  OVS("ovs"),
  /** OpenShift SDN, multitenant plugin: br0, vxlan0, tun0, per-namespace VNIDs. */
  SDN("sdn"),
  /** The ACI CNI: br-access with the pods, patch ports to br-int, VXLAN through one leaf. */
  ACI("aci"),
  /** Antrea (up to 1.5): br-int, antrea-gw0, one flow-based Geneve port antrea-tun0. */
  ANTREA("antrea"),
  /** Kube-OVN: real OVN with ovn-cluster, one switch ovn-default, the join switch and ovn0. */
  KUBE_OVN("kube-ovn");

  private final String cliName;

  Mode(String cliName) {
    this.cliName = cliName;
  }

  /** The value of {@code hack/sandbox up --mode}. */
  public String cliName() {
    return cliName;
  }

  /**
   * Whether {@code hack/sandbox up --ip-family ipv6|dual} builds this mode; OpenShift SDN never
   * supported IPv6 (hack/README.md).
   */
  public boolean buildsIpv6() {
    return this != SDN;
  }

  static Mode fromCli(String name) {
    for (Mode m : values()) {
      if (m.cliName.equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown sandbox mode: " + name);
  }
}
