package io.podpath.aggregator.e2e;

import static io.podpath.aggregator.e2e.MatrixScenario.Knob.fault;
import static io.podpath.aggregator.e2e.MatrixScenario.Knob.none;
import static io.podpath.aggregator.e2e.MatrixScenario.row;

import io.podpath.testkit.Fault;
import io.podpath.testkit.Mode;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The scenario table of the real-packet matrix. Adding a scenario is one entry. The sandboxes have
 * pods client-I / web-I on nodeI (I = 1, 2) and an external host {@code ext} behind the fabric.
 */
final class MatrixScenarios {
  private MatrixScenarios() {}

  /** UDP source ports of the "existing connection" rows: opened before the knob, then reused. */
  static final int EXISTING_PORT = 41001;

  static final int NEW_PORT = 41002;

  static List<MatrixScenario> all() {
    return List.of(
        row("healthy pod -> ext", none(), "default/client-1", "ext", Probe.tcp(80)),
        // The node's own stack sends (SRC node/NAME): its kernel picks the source and routes the
        // packet into OVS (ovn: the management port; ovs: tun0).
        row("node -> pod on the same node", none(), "node1", "default/web-1", Probe.tcp(80)),
        row("node -> pod on another node", none(), "node1", "default/web-2", Probe.tcp(80)),
        row(
                "ip_forward=0 on the egress node",
                fault(Fault.IP_FORWARD, "node1"),
                "default/client-1",
                "ext",
                Probe.tcp(80))
            .naming("ip_forward"),
        row(
                "iptables DROP in FORWARD",
                fault(Fault.FW_DROP, "node1"),
                "default/client-1",
                "ext",
                Probe.udp(53))
            .naming("DROP"),
        row(
                "iptables REJECT in FORWARD",
                fault(Fault.FW_REJECT, "node1"),
                "default/client-1",
                "ext",
                Probe.tcp(80))
            .naming("REJECT"),
        row(
                "no route to the destination",
                fault(Fault.ROUTE, "node1"),
                "default/client-1",
                "ext",
                Probe.icmp())
            .naming("route"),
        row(
                "missing tunnel",
                fault(Fault.TUNNEL, "node1"),
                "default/client-1",
                "default/web-2",
                Probe.icmp())
            .naming("tunnel from node1 to node2"),
        // Conntrack: OVS userspace conntrack of node2 admits no new entry (OVN uses it; plain OVS
        // flows here use no ct(), so there the table's fill must not matter).
        row(
                "conntrack full: new TCP connection",
                fault(Fault.CONNTRACK_FULL, "node2"),
                "default/client-1",
                "default/web-2",
                Probe.tcp(80))
            .naming("conntrack table full on node2"),
        row(
                "conntrack full: new ICMP echo",
                fault(Fault.CONNTRACK_FULL, "node2"),
                "default/client-1",
                "default/web-2",
                Probe.icmp())
            .naming("conntrack table full on node2"),
        row(
            "conntrack full: new UDP flow (replies are new, not invalid)",
            fault(Fault.CONNTRACK_FULL, "node2"),
            "default/client-1",
            "default/web-2",
            Probe.udp(53).fromPort(NEW_PORT)),
        row(
                "conntrack full: existing UDP connection still flows",
                fault(Fault.CONNTRACK_FULL, "node2"),
                "default/client-1",
                "default/web-2",
                Probe.udp(53).fromPort(EXISTING_PORT))
            .after(Probe.udp(53).fromPort(EXISTING_PORT)),
        // The pods' own stacks (the first and last hop): eth0 down in web-2, a pod whose eth0
        // and host veth are gone (node2's last pod, client-2), and the pods' MTU (1400).
        row(
                "destination pod eth0 down",
                fault(Fault.ETH0_DOWN, "node2"),
                "default/client-1",
                "default/web-2",
                Probe.tcp(80))
            .naming("web-2 on node2: its eth0 is DOWN"),
        row(
                "source pod eth0 down",
                fault(Fault.ETH0_DOWN, "node2"),
                "default/web-2",
                "default/client-1",
                Probe.icmp())
            .naming("web-2 on node2: its eth0 is DOWN"),
        row(
                "cut-off destination pod",
                fault(Fault.POD_IFACE_GONE, "node2"),
                "default/client-1",
                "default/client-2",
                Probe.icmp())
            .naming("client-2 on node2 is cut off"),
        row(
                "DF over the source pod's MTU",
                none(),
                "default/client-1",
                "default/web-2",
                Probe.icmp().withDfSize(1472))
            .naming("1500 > 1400 on pod default/client-1 eth0"),
        row(
            "same size without DF (the pod fragments)",
            none(),
            "default/client-1",
            "default/web-2",
            Probe.icmp().withSize(1472)),
        // `break mtu node1` gives node1's pods MTU 1500 = the underlay's: a full-size packet
        // leaves the pod whole and dies at the tunnel, DF or not (OVS does not fragment it).
        row(
                "DF over the tunnel MTU budget",
                fault(Fault.MTU, "node1"),
                "default/client-1",
                "default/web-2",
                Probe.icmp().withDfSize(1472))
            .naming("Geneve"),
        row(
            "same size without DF",
            fault(Fault.MTU, "node1"),
            "default/client-1",
            "default/web-2",
            Probe.icmp().withSize(1472)),
        // ovn: the node routes the Service network into the management port, where OVN's load
        // balancer picks the endpoint; ovs: the node has no route to it (real packets fail too).
        // ovs mode only: on the ovn sandbox the connection this leaves in node1's userspace
        // conntrack (SNAT to the management port's address and the load balancer's DNAT, both in
        // one zone) made ovs-vswitchd 3.1 abort a few rows later, twice in a row
        // ("conntrack.c:1063:
        // assertion conn->conn_type == CT_CONN_TYPE_DEFAULT failed in conn_update_state()"), which
        // takes node1 off the network. Kernel-datapath OVS, as clusters run it, has no such code.
        row("node -> Service", none(), "node1", "svc/default/web", Probe.tcp(80))
            .naming("no route to 10.96.0.10")
            .only(Mode.OVS),
        row("node -> ext", none(), "node1", "ext", Probe.tcp(80)),
        // SCTP: one INIT through a raw socket (no kernel SCTP module), answered by the responder's
        // INIT-ACK; the live trace sends the same INIT from the agent. forFamily runs them in IPv6
        // too.
        row("SCTP pod -> pod on the same node", none(), "default/client-1", "default/web-1", SCTP),
        row("SCTP pod -> pod on another node", none(), "default/client-1", "default/web-2", SCTP),
        row(
                "SCTP through a missing tunnel",
                fault(Fault.TUNNEL, "node1"),
                "default/client-1",
                "default/web-2",
                SCTP)
            .naming("tunnel from node1 to node2"),
        row(
                "SCTP denied by a NetworkPolicy",
                denyIngress("default/web-2"),
                "default/client-1",
                "default/web-2",
                SCTP)
            .naming("by NetworkPolicy default/deny-ingress-web-2 (ingress)")
            .only(Mode.OVN));
  }

  /** The SCTP rows' probe: the pod responders listen on SCTP port 80. */
  private static final Probe SCTP = Probe.sctp(80);

  /** {@code policy deny-ingress POD} (ovn mode: OVN ACLs), cleared after the row. */
  private static MatrixScenario.Knob denyIngress(String pod) {
    return new MatrixScenario.Knob() {
      @Override
      public void apply(Sandbox sb) {
        sb.policyDenyIngress(pod);
      }

      @Override
      public void reset(Sandbox sb) {
        sb.clearPolicies();
      }
    };
  }

  static List<MatrixScenario> forMode(Mode mode) {
    return Stream.concat(all().stream(), ToNodeRows.rows().stream())
        .filter(s -> s.modes().contains(mode))
        .toList();
  }

  /** Faults of the node kernel's IPv4 forwarding, firewall and routes (ipv6Kernel: the twins). */
  private static final Set<Fault> IPV4_KERNEL =
      EnumSet.of(Fault.IP_FORWARD, Fault.FW_DROP, Fault.FW_REJECT, Fault.ROUTE);

  /**
   * The rows of {@code mode} that podpath traces in {@code family}: in IPv6 the IPv4 kernel faults
   * are replaced by their IPv6 twins ({@link #ipv6Kernel}), and the rows to a node's address are
   * {@link ToNodeRows#rows(int)}'s IPv6 ones (its IPv6 InternalIP, an ip6tables INPUT drop). The
   * SCTP rows run in both families (the raw-socket INIT is the same bytes over IPv4 and IPv6).
   */
  static List<MatrixScenario> forFamily(Mode mode, int family) {
    List<MatrixScenario> rows =
        new ArrayList<>(
            forMode(mode).stream()
                .filter(
                    s ->
                        family == 4
                            || (!s.dst().matches("node\\d+")
                                && s.knob()
                                    .fault()
                                    .map(f -> !IPV4_KERNEL.contains(f))
                                    .orElse(true)))
                .toList());
    if (family == 6) {
      rows.addAll(ipv6Kernel());
      rows.addAll(ToNodeRows.rows(6).stream().filter(s -> s.modes().contains(mode)).toList());
    }
    return rows;
  }

  /** The node kernel's IPv6 faults on a pod's way out: forwarding, ip6tables FORWARD, the route. */
  static List<MatrixScenario> ipv6Kernel() {
    return List.of(
        row(
                "IPv6 forwarding off on the egress node",
                fault(Fault.IP6_FORWARD, "node1"),
                "default/client-1",
                "ext",
                Probe.tcp(80))
            .naming("IPv6 forwarding is off on node1"),
        row(
                "ip6tables DROP in FORWARD",
                fault(Fault.FW6_DROP, "node1"),
                "default/client-1",
                "ext",
                Probe.udp(53))
            .naming("by ip6tables filter FORWARD #1"),
        row(
                "ip6tables REJECT in FORWARD",
                fault(Fault.FW6_REJECT, "node1"),
                "default/client-1",
                "ext",
                Probe.tcp(80))
            .naming("rejected (icmp6-port-unreachable)"),
        row(
                "no IPv6 route to the destination",
                fault(Fault.ROUTE6, "node1"),
                "default/client-1",
                "ext",
                Probe.icmp())
            .naming("no route to"));
  }

  /**
   * Rows whose source is the external host {@code ext} entering at a node: podpath traces SRC
   * ip:EXT with {@code --ingress-node} (the probe's {@code via} node), or to a NodePort (dst {@code
   * nodeI}: podpath's {@code node/nodeI:PORT}, the probe's port). They run with the sandbox's
   * NodePorts on ({@code TraceMatrix#outsideSourceRowsAgreeWithRealPackets}); a row works when
   * every endpoint's forward is DELIVERED and its reply LEFT_CLUSTER by the ingress node.
   */
  static List<MatrixScenario> fromOutside() {
    return List.of(
        row("NodePort from ext", none(), "ext", "node1", Probe.tcp(Sandbox.NODEPORT_TCP)),
        row(
            "NodePort from ext at the other node",
            none(),
            "ext",
            "node2",
            Probe.tcp(Sandbox.NODEPORT_TCP)),
        row("UDP NodePort from ext", none(), "ext", "node1", Probe.udp(Sandbox.NODEPORT_UDP)),
        row(
            "NodePort removed on the ingress node",
            fault(Fault.NODEPORT_REMOVED, "node1"),
            "ext",
            "node1",
            Probe.tcp(Sandbox.NODEPORT_TCP)),
        row("ext -> pod through its node", none(), "ext", "default/web-1", throughNode1(80)),
        row(
            "ext -> pod through its node, ICMP",
            none(),
            "ext",
            "default/web-1",
            Probe.icmp().through("node1")),
        // ovn: the pod's reply leaves by its own node (OVN's per-node route to the management
        // port); ovs: by its own node's tun0. Either way not the node the connection came in at.
        row(
            "ext -> pod through another node (the reply leaves elsewhere)",
            none(),
            "ext",
            "default/web-2",
            throughNode1(80)),
        row(
                "the reply to ext dropped in FORWARD",
                replyToExtDropped("node1"),
                "ext",
                "default/web-1",
                Probe.udp(53).through("node1"))
            .naming("DROP"),
        // hack/sandbox ingress on: svc default/web's ExternalIP (ingress-address/0) and load
        // balancer address (/1), which every node answers; ext routes them through `via`
        row(
            "ExternalIP from ext, routed to node1",
            none(),
            "ext",
            "ingress-address/0",
            throughNode1(80)),
        row(
            "ExternalIP from ext, routed to node2",
            none(),
            "ext",
            "ingress-address/0",
            Probe.tcp(80).through("node2")),
        row(
            "load balancer address from ext, routed to node2",
            none(),
            "ext",
            "ingress-address/1",
            Probe.tcp(80).through("node2")),
        // svc default/web-local: externalTrafficPolicy Local, its one endpoint web-1 on node1
        row(
                "externalTrafficPolicy Local NodePort at the endpoint's node",
                none(),
                "ext",
                "node1",
                Probe.tcp(LOCAL_NODEPORT))
            .only(Mode.OVS),
        row(
                "externalTrafficPolicy Local NodePort at a node without an endpoint",
                none(),
                "ext",
                "node2",
                Probe.tcp(LOCAL_NODEPORT))
            .only(Mode.OVS)
            .naming("externalTrafficPolicy Local: no local endpoint on node2"));
  }

  /** svc default/web-local's NodePort while {@code hack/sandbox ingress on} (ovs mode). */
  static final int LOCAL_NODEPORT = 30081;

  private static Probe throughNode1(int tcpPort) {
    return Probe.tcp(tcpPort).through("node1");
  }

  /** {@code break fw-drop NODE --dst EXT}: FORWARD drops what goes to ext, so only replies die. */
  private static MatrixScenario.Knob replyToExtDropped(String node) {
    return new MatrixScenario.Knob() {
      @Override
      public void apply(Sandbox sb) {
        sb.breakFault(Fault.FW_DROP, node, sb.externalIp());
      }

      @Override
      public void reset(Sandbox sb) {
        sb.fix(Fault.FW_DROP, node, sb.externalIp());
      }
    };
  }
}
