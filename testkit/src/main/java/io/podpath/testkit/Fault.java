package io.podpath.testkit;

/** Faults {@code hack/sandbox break|fix FAULT NODE} injects into the real datapath. */
public enum Fault {
  /** Pod MTU 1500 on the node's pods, over a 1500 underlay: big DF packets vanish in the tunnel. */
  MTU("mtu"),
  /** {@code net.ipv4.ip_forward=0} in the node netns: pod egress through the node stops. */
  IP_FORWARD("ip-forward"),
  /** {@code net.ipv6.conf.all.forwarding=0} (IPv6 sandboxes): pods' IPv6 egress stops. */
  IP6_FORWARD("ip6-forward"),
  /** The node's Geneve tunnel to one peer (the next node) is removed. */
  TUNNEL("tunnel"),
  /** The host veth of the node's last pod disappears: its OVS Interface is in error. */
  INTERFACE("interface"),
  /** {@code iptables -I FORWARD 1 -j DROP} in the node netns: forwarded traffic vanishes. */
  FW_DROP("fw-drop"),
  /**
   * {@code iptables -I FORWARD 1 -j REJECT}: forwarded traffic is refused (ICMP port unreachable).
   */
  FW_REJECT("fw-reject"),
  /** An {@code unreachable} host route to the external host in the node netns. */
  ROUTE("route"),
  /** {@code ip6tables -I FORWARD 1 -j DROP} (IPv6 sandboxes): forwarded IPv6 traffic vanishes. */
  FW6_DROP("fw6-drop"),
  /** {@code ip6tables -I FORWARD 1 -j REJECT --reject-with icmp6-port-unreachable}. */
  FW6_REJECT("fw6-reject"),
  /**
   * An {@code unreachable} IPv6 host route to the external host's IPv6 address in the node netns.
   */
  ROUTE6("route6"),
  /** eth0 of the node's web pod (a Service endpoint) is set down inside the pod. */
  ETH0_DOWN("eth0-down"),
  /** The node's OVS userspace conntrack gets maxconns 0: tracked connections flow, new ones die. */
  CONNTRACK_FULL("conntrack-full"),
  /** The TCP Service load balancer (ovn) / KUBE-SERVICES rule (ovs) leaves the node. */
  LB_REMOVED("lb-removed"),
  /** The node's Service programming gets a backend no pod has (10.244.NODE.99:80). */
  STALE_BACKEND("stale-backend"),
  /** Every pod responder answers DNS queries with garbage (cluster-wide). */
  DNS_GARBAGE("dns-garbage"),
  /** A host veth pair left on the node, in no pod and on no bridge. */
  LEFTOVER_VETH("leftover-veth"),
  /** The eth0 of the node's last pod is deleted (its host veth goes with it). */
  POD_IFACE_GONE("pod-iface-gone"),
  /** The OVS port of the node's last pod is deleted; its host veth and eth0 stay. */
  PORT_OFF_BRIDGE("port-off-bridge"),
  /** The fabric switch drops tunnel frames (UDP 6081/4789) toward the node: no node can see it. */
  UNDERLAY_DROP("underlay-drop"),
  /** The fabric switch drops every other tunnel frame toward the node (the first one first). */
  UNDERLAY_FLAKY("underlay-flaky"),
  /**
   * A pure nftables table of the node (not iptables) drops what it forwards to the external host:
   * iptables-save, which podpath's kernel model reads, does not show it.
   */
  NFT_DROP("nft-drop"),
  /** The TCP NodePort of default/web leaves the node (needs {@link Sandbox#nodePort} on). */
  NODEPORT_REMOVED("nodeport-removed"),
  /** The fabric side of the node's underlay veth goes down: its NIC loses the carrier. */
  NIC_DOWN("nic-down"),
  /**
   * The fabric side of the node's underlay veth gets MTU 1400, the node's NIC keeps its own: a
   * device between the nodes drops the node's full-size tunnelled frames.
   */
  UNDERLAY_MTU("underlay-mtu"),
  /** Every pod of the node gets eth0 MTU 1300 in its namespace; its host veth keeps its own. */
  POD_ETH0_MTU("pod-eth0-mtu");

  private final String cliName;

  Fault(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }
}
