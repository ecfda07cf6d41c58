package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.mesh.PeerSets;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.ClusterContext;
import io.podpath.proto.v1.NodeSummary;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Node;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The checks' fault matrix on a REAL 3-node OVN sandbox (shared with the other 3-node tests of this
 * JVM), through {@link CheckMatrix}.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false)
class ChecksSandboxTest {
  static Sandbox sandbox;
  static CheckMatrix m;

  @BeforeAll
  static void start(Sandbox s) throws Exception {
    sandbox = s;
    m = new CheckMatrix(s);
  }

  @AfterAll
  static void stop() {
    m.close();
  }

  @Test
  void healthySandboxEveryCheckOkOrNotApplicable() throws Exception {
    m.awaitHealthy();
    Map<String, Map<String, CheckResult>> s = m.sweep();
    // the facts behind a few OKs, as the sandbox built them
    assertThat(CheckMatrix.result(s, "node1", "mtu").getSummary()).contains("1400").contains("58");
    assertThat(CheckMatrix.result(s, "node1", "tunnels").getSummary()).contains("2 peers");
    assertThat(CheckMatrix.result(s, "node2", "service-programming").getEvidenceList().toString())
        .contains(sandbox.serviceIp() + ":80")
        .contains(sandbox.serviceIp() + ":53");
    assertThat(CheckMatrix.result(s, "node3", "dns").getSummary()).contains("resolved");
  }

  @Test
  void aRoundProvesEachLocalPodsNamespaceOnceForAllItsChecks() throws Exception {
    m.awaitHealthy();
    long pods = sandbox.pods().stream().filter(p -> p.node().equals("node2")).count();
    double before = MatrixCases.netnsLookups(m, "node2");
    Map<String, Map<String, CheckResult>> s = m.sweep();
    double used = MatrixCases.netnsLookups(m, "node2") - before;
    // pod-plumbing and mtu read every pod's eth0, dns sends from one: a pod inspection each
    // without the run's memo (5 here), one per pod with it
    assertThat(used).as(CheckMatrix.describe(s)).isPositive().isLessThanOrEqualTo((double) pods);
    m.assertHealthy(s);
  }

  @Test
  void conntrackIsReadInTheNodeNetnsNotAPods() throws Exception {
    CheckResult c = CheckMatrix.result(m.sweep(), "node2", "conntrack");
    assertThat(c.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_OK);
    String max =
        sandbox.exec("node2", "cat", "/proc/sys/net/netfilter/nf_conntrack_max").stdout().trim();
    assertThat(c.getEvidenceList())
        .anySatisfy(
            e -> {
              assertThat(e.getSource()).isEqualTo("/proc/sys/net/netfilter/nf_conntrack_max");
              assertThat(e.getValue()).isEqualTo(max);
            });
    assertThat(c.getEvidenceList())
        .anySatisfy(e -> assertThat(e.getSource()).isEqualTo("/proc/net/stat/nf_conntrack"));
    // the bridges are netdev: the userspace datapath's own table is read too
    assertThat(c.getEvidenceList())
        .anySatisfy(e -> assertThat(e.getSource()).isEqualTo("ovs-appctl dpctl/ct-get-maxconns"));
  }

  @Test
  void mtuFaultFailsMtuOnThatNodeOnly() throws Exception {
    m.faultCase(Fault.MTU, Map.of("node2", Set.of("mtu")), Set.of(), "1500");
  }

  @Test
  void ipForwardFaultFailsIpForwardOnThatNodeOnly() throws Exception {
    m.faultCase(
        Fault.IP_FORWARD,
        Map.of("node2", Set.of("ip-forward")),
        Set.of(),
        "/proc/sys/net/ipv4/ip_forward");
    // OVN switches the sandbox's pods: the FAIL says pod-to-pod keeps working, not that the node
    // forwards no pod traffic.
    assertThat(CheckMatrix.result(m.lastFault, "node2", "ip-forward").getSummary())
        .contains("pod-to-pod traffic through OVS and its tunnels keeps working")
        .contains("egress");
  }

  @Test
  void tunnelFaultFailsTunnelsOnBothEndsOnly() throws Exception {
    // hack/sandbox puts node2 and its peer node3 in disjoint OVN transport zones: ovn-controller
    // removes the Geneve port on BOTH ends, so both nodes truly lack a tunnel to the other.
    m.faultCase(
        Fault.TUNNEL,
        Map.of("node2", Set.of("tunnels"), "node3", Set.of("tunnels")),
        Set.of(),
        "remote_ip");
    // the port comes from the peer's Encap row: the fix sends the reader to OVN's view of it
    assertThat(CheckMatrix.result(m.lastFault, "node2", "tunnels").getRemediation())
        .contains("ovn-sbctl show");
  }

  @Test
  void interfaceFaultFailsOvsOnThatNodeOnly() throws Exception {
    // hack/sandbox deletes the host veth of one of node2's pods: OVS reports "No such device",
    // and the pod has no working port
    m.faultCase(
        Fault.INTERFACE,
        Map.of("node2", Set.of("ovs", "pod-plumbing")),
        Set.of(),
        "No such device");
    assertThat(CheckMatrix.result(m.lastFault, "node2", "pod-plumbing").getSummary())
        .contains("pod " + m.lastPod("node2"));
    // a pod's port: the fix re-plumbs the pod through ovnkube-node, never deletes the port by hand
    CheckResult ovs = CheckMatrix.result(m.lastFault, "node2", "ovs");
    assertThat(ovs.getSummary()).contains("port of pod " + m.lastPod("node2"));
    assertThat(ovs.getRemediation())
        .contains("delete the pod")
        .contains("ovnkube-node")
        .doesNotContain("del-port");
    assertThat(CheckMatrix.result(m.lastFault, "node2", "pod-plumbing").getRemediation())
        .contains("ovnkube-node");
  }

  @Test
  void loadBalancerRemovedFromOneNodeFailsServiceProgrammingThere() throws Exception {
    m.faultCase(
        Fault.LB_REMOVED,
        Map.of("node2", Set.of("service-programming")),
        Set.of(),
        "tcp " + sandbox.serviceIp() + ":80");
  }

  @Test
  void nodePortRemovedFromOneNodeFailsServiceProgrammingThere() throws Exception {
    // ovnkube-node's OVN-KUBE-NODEPORT DNAT to the cluster IP is what node2 loses
    MatrixCases.nodePortCase(m, "ovnkube-node");
  }

  @Test
  void underlayNicWithoutCarrierFailsNicNamingIt() throws Exception {
    // node2 is cut off from the underlay; DNS queries the load balancer sends to node2's backends
    // die on every node (WARN or FAIL, by how many of the 5 land there: random), and node2's
    // tunnels go nowhere. Other nodes' own eth0 is theirs, not node2's: the false-OK assertion is
    // about node2's checks.
    m.mayFailAnywhere = Set.of("dns");
    try {
      m.faultCase(
          Fault.NIC_DOWN, Map.of("node2", Set.of("nic")), Set.of("tunnels"), "underlay NIC eth0");
    } finally {
      m.mayFailAnywhere = Set.of();
    }
    assertThat(CheckMatrix.result(m.lastFault, "node2", "nic").getSummary())
        .contains("underlay NIC eth0: no link detected (no carrier)");
    // eth0 itself is up: the fix is on the wire, not "bring it up"
    assertThat(CheckMatrix.result(m.lastFault, "node2", "nic").getRemediation())
        .contains("sees no carrier")
        .doesNotContain("ip link set");
  }

  @Test
  void staleBackendFailsServiceProgrammingNamingIt() throws Exception {
    m.faultCase(
        Fault.STALE_BACKEND,
        Map.of("node2", Set.of("service-programming")),
        Set.of(),
        "10.244.2.99:80");
  }

  @Test
  void dnsAnsweringGarbageFailsDnsEverywhere() throws Exception {
    m.faultCase(
        Fault.DNS_GARBAGE,
        Map.of("node1", Set.of("dns"), "node2", Set.of("dns"), "node3", Set.of("dns")),
        Set.of(),
        "not a valid DNS response");
  }

  @Test
  void podInterfaceDeletedFailsPodPlumbingNamingThePod() throws Exception {
    // the pod's eth0 goes, its host veth with it; OVS may notice (ovs FAIL) or not yet
    m.faultCase(
        Fault.POD_IFACE_GONE,
        Map.of("node2", Set.of("pod-plumbing")),
        Set.of("ovs"),
        "pod " + m.lastPod("node2"));
    assertThat(CheckMatrix.result(m.lastFault, "node2", "pod-plumbing").getSummary())
        .contains("pod " + m.lastPod("node2"));
  }

  @Test
  void portOffTheBridgeFailsPodPlumbingNamingThePod() throws Exception {
    // the pod's veth and eth0 stay up; only its OVS port is gone
    m.faultCase(
        Fault.PORT_OFF_BRIDGE,
        Map.of("node2", Set.of("pod-plumbing")),
        Set.of(),
        "pod " + m.lastPod("node2"));
    assertThat(CheckMatrix.result(m.lastFault, "node2", "pod-plumbing").getSummary())
        .contains("has no port on the bridge");
  }

  @Test
  void conntrackAdmittingNothingFailsConntrack() throws Exception {
    // the userspace datapath's maxconns 0: new connections through ct() die (0 is no limit only
    // for the kernel's table)
    m.faultCase(
        Fault.CONNTRACK_FULL, Map.of("node2", Set.of("conntrack")), Set.of("dns"), "maxconns 0");
  }

  @Test
  void anUnreachableRouteToALocalPodFailsRoutesNamingThePod() throws Exception {
    Pod p =
        sandbox.pods().stream()
            .filter(x -> x.node().equals("node2") && x.name().startsWith("client-"))
            .findFirst()
            .orElseThrow();
    m.faultCase(Fault.ROUTE, p.ip(), Map.of("node2", Set.of("routes")), Set.of(), p.ip());
    CheckResult c = CheckMatrix.result(m.lastFault, "node2", "routes");
    assertThat(c.getSummary()).contains(p.namespace() + "/" + p.name());
    // the cause is the host route hack/sandbox added, not a missing pod-subnet route: the fix
    // names it and the command that removes it, and keeps the subnet's route
    assertThat(c.getRemediation())
        .as(CheckMatrix.describe(m.lastFault))
        .contains("'unreachable " + p.ip() + "'")
        .contains("ip route del unreachable " + p.ip() + ")")
        .contains("overrides the pod subnet's")
        .doesNotContain("No route leaves by");
  }

  @Test
  void leftoverVethIsReportedByPodPlumbing() throws Exception {
    MatrixCases.leftoverVethCase(m);
  }

  @Test
  void podEth0DownFailsPodPlumbingNamingThePod() throws Exception {
    MatrixCases.eth0DownCase(m);
  }

  /** What a sweep sends since the peer-set digest: no peer list, and a summary asked for. */
  static RunChecksRequest digestRequest(String node) {
    String self =
        sandbox.nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow().ip();
    ClusterContext c =
        m.context(node).toBuilder()
            .clearPeers()
            .setPeerSet(
                PeerSets.expected(sandbox.nodes().stream().map(Node::ip).toList()).forNode(self))
            .build();
    return RunChecksRequest.newBuilder()
        .addCheckIds("tunnels")
        .setContext(c)
        .setIncludeSummary(true)
        .build();
  }

  @Test
  void tunnelsAgainstThePeerSetDigestAndTheNodeSummaryForTheSweep() throws Exception {
    m.awaitHealthy();
    CheckReport ok = m.calls("node2").run(digestRequest("node2"), Duration.ofSeconds(30));
    assertThat(ok.getResults(0).getStatus())
        .as(ok.toString())
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
    assertThat(ok.getResults(0).getSummary()).contains("2 peers");
    NodeSummary s = ok.getSummary();
    assertThat(s.getTunnelsMatchPeerSet()).as(s.toString()).isTrue();
    assertThat(s.getTunnelRemoteIpsList()).as("a healthy node sends no remote list").isEmpty();
    assertThat(s.getWorkingTunnels()).isEqualTo(2);
    assertThat(s.getEncapIp()).isEqualTo(m.ip("node2"));
    assertThat(s.getPodMtu()).isEqualTo(1400);
    assertThat(s.getUnderlayMtu()).isGreaterThanOrEqualTo(1400 + 58);
    sandbox.breakFault(Fault.TUNNEL, "node2");
    try {
      CheckReport bad = m.calls("node2").run(digestRequest("node2"), Duration.ofSeconds(30));
      CheckResult t = bad.getResults(0);
      assertThat(t.getStatus()).as(bad.toString()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
      assertThat(t.getSummary()).contains("do not match the cluster's 2 peers");
      assertThat(t.getEvidenceList().toString()).contains("remote_ip").contains(m.ip("node1"));
      assertThat(bad.getSummary().getTunnelsMatchPeerSet()).isFalse();
      // what the aggregator names node2→node3 from
      assertThat(bad.getSummary().getTunnelRemoteIpsList()).containsExactly(m.ip("node1"));
    } finally {
      sandbox.fix(Fault.TUNNEL, "node2");
    }
    m.awaitHealthy();
  }

  @Test
  void dfProbeOfTheLargestPodPacketPassesAt1400AndFailsAt1500() throws Exception {
    m.awaitHealthy();
    Pod src =
        sandbox.pods().stream().filter(p -> p.node().equals("node1")).findFirst().orElseThrow();
    Pod dst =
        sandbox.pods().stream().filter(p -> p.node().equals("node2")).findFirst().orElseThrow();
    CheckMatrix.AgentCalls h = m.calls("node1");
    assertThat(ping(h, src, dst, 1400 - 28).getDelivered())
        .as("pod MTU 1400: 1372 + 28 + 58 fits")
        .isTrue();
    sandbox.breakFault(Fault.MTU, "node1");
    try {
      ProbeResult big = ping(h, src, dst, 1500 - 28);
      assertThat(big.getDelivered())
          .as("pod MTU 1500 over a 1500 underlay: " + big.getDetail())
          .isFalse();
      assertThat(ping(h, src, dst, 56).getDelivered()).as("small packets still pass").isTrue();
    } finally {
      sandbox.fix(Fault.MTU, "node1");
    }
  }

  static ProbeResult ping(CheckMatrix.AgentCalls h, Pod src, Pod dst, int size) {
    return h.probe(
        ProbeRequest.newBuilder()
            .setSource(CheckMatrix.ref(src))
            .setDestinationIp(dst.ip())
            .setProtocol(Protocol.PROTOCOL_ICMP)
            .setSize(size)
            .setDontFragment(true)
            .setTimeoutMillis(1500)
            .build(),
        Duration.ofSeconds(10));
  }

  @Test
  void tcpAndUdpProbesFromAPodNetns() {
    Pod src =
        sandbox.pods().stream().filter(p -> p.node().equals("node1")).findFirst().orElseThrow();
    Pod dst =
        sandbox.pods().stream().filter(p -> p.node().equals("node3")).findFirst().orElseThrow();
    CheckMatrix.AgentCalls h = m.calls("node1");
    ProbeResult tcp =
        h.probe(
            ProbeRequest.newBuilder()
                .setSource(CheckMatrix.ref(src))
                .setDestinationIp(dst.ip())
                .setProtocol(Protocol.PROTOCOL_TCP)
                .setDstPort(80)
                .setTimeoutMillis(2000)
                .build(),
            Duration.ofSeconds(10));
    assertThat(tcp.getDelivered()).as(tcp.getDetail()).isTrue();
    ProbeResult udp =
        h.probe(
            ProbeRequest.newBuilder()
                .setSource(CheckMatrix.ref(src))
                .setDestinationIp(dst.ip())
                .setProtocol(Protocol.PROTOCOL_UDP)
                .setDstPort(53)
                .setTimeoutMillis(2000)
                .build(),
            Duration.ofSeconds(10));
    assertThat(udp.getDelivered()).as(udp.getDetail()).isTrue();
  }
}
