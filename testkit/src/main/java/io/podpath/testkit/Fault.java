package io.podpath.testkit;

/** Faults {@code hack/sandbox break|fix FAULT NODE} injects into the real datapath. */
public enum Fault {
  /** Pod MTU 1500 on the node's pods, over a 1500 underlay: big DF packets vanish in the tunnel. */
  MTU("mtu"),
  /** {@code net.ipv4.ip_forward=0} in the node netns: pod egress through the node stops. */
  IP_FORWARD("ip-forward"),
  /** The node's Geneve tunnel to one peer (the next node) is removed. */
  TUNNEL("tunnel"),
  /** The host veth of the node's last pod disappears: its OVS Interface is in error. */
  INTERFACE("interface");

  private final String cliName;

  Fault(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }
}
