package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.testkit.Conntrack;
import io.podpath.testkit.Fault;
import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The checks' fault matrix on a REAL IPv6-only OVN sandbox whose Geneve runs between the nodes'
 * IPv6 underlay addresses ({@code --ip-family ipv6 --underlay ipv6}), through {@link CheckMatrix}:
 * a healthy sandbox is OK everywhere, and each fault knob FAILs the right check on the right node
 * naming the right IPv6 object; the faults are checked against real IPv6 packets too.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false, ipFamily = IpFamily.IPV6, ipv6Underlay = true)
class Ipv6ChecksSandboxTest {
  static Sandbox sandbox;
  static CheckMatrix m;

  @BeforeAll
  static void start(Sandbox s) throws Exception {
    sandbox = s;
    m = new CheckMatrix(s);
    m.encap = n -> n.ips().stream().filter(a -> a.contains(":")).findFirst().orElseThrow();
  }

  /**
   * The real probes of a case (to the Service, to ext) leave NAT connections in OVS's userspace
   * conntrack, where Debian's OVS 3.1 can abort ovs-vswitchd a while later ({@code conntrack.c:1063
   * conn_update_state}, seen once in CI here): each case starts empty.
   */
  @AfterEach
  void emptyConntrack() {
    Conntrack.flush(sandbox);
  }

  @AfterAll
  static void stop() {
    m.close();
  }

  private static Pod client(String node) {
    return sandbox.pods().stream()
        .filter(p -> p.node().equals(node) && p.name().startsWith("client-"))
        .findFirst()
        .orElseThrow();
  }

  private static boolean egress6(String node) {
    Pod c = client(node);
    return sandbox
        .probe(c.namespace() + "/" + c.name(), "ext", Probe.tcp(80).inFamily(6))
        .delivered();
  }

  @Test
  void healthyIpv6SandboxEveryCheckOkOrNotApplicable() throws Exception {
    m.awaitHealthy();
    Map<String, Map<String, CheckResult>> s = m.sweep();
    // Geneve over IPv6 costs 20 bytes more than over IPv4: 1500 - 78
    assertThat(CheckMatrix.result(s, "node1", "mtu").getSummary()).contains("1500 - 78 = 1422");
    assertThat(CheckMatrix.result(s, "node1", "tunnels").getSummary()).contains("2 peers");
    assertThat(CheckMatrix.result(s, "node2", "routes").getEvidenceList().toString())
        .contains("ip -j route get " + client("node2").ip());
    assertThat(CheckMatrix.result(s, "node2", "ip-forward").getSummary())
        .startsWith("IPv6 forwarding is on");
    assertThat(CheckMatrix.result(s, "node2", "service-programming").getEvidenceList().toString())
        .contains("tcp [" + sandbox.serviceIp(6) + "]:80 (default/web) backends in");
    assertThat(client("node2").ip()).contains(":");
    // the IPv6 DNS Service is asked AAAA: an IPv6-only cluster's kubernetes Service has no A
    assertThat(CheckMatrix.result(s, "node2", "dns").getSummary())
        .contains("DNS " + sandbox.serviceIp(6) + " resolved AAAA kubernetes.default");
    assertThat(CheckMatrix.result(s, "node2", "dns").getEvidenceList().toString())
        .contains("[fd00:10:96::1]");
  }

  @Test
  void dnsAnsweringGarbageFailsDnsOnEveryNodeOverIpv6() throws Exception {
    m.faultCase(
        Fault.DNS_GARBAGE,
        Map.of("node1", Set.of("dns"), "node2", Set.of("dns"), "node3", Set.of("dns")),
        Set.of(),
        "not a valid DNS response");
  }

  @Test
  void mtuFaultFailsMtuAgainstTheIpv6TunnelBudget() throws Exception {
    m.faultCase(Fault.MTU, Map.of("node2", Set.of("mtu")), Set.of(), "1500 - 78 = 1422");
  }

  @Test
  void ipv6ForwardingOffFailsIpForwardWhileIpv6EgressDies() throws Exception {
    m.faultCase(
        Fault.IP6_FORWARD,
        null,
        Map.of("node2", Set.of("ip-forward")),
        Set.of(),
        "net.ipv6.conf.all.forwarding=0 on a node with global IPv6 addresses: for IPv6, OVN"
            + " switches this node's pods",
        () -> assertThat(egress6("node2")).as("IPv6 egress of node2's pods").isFalse());
  }

  @Test
  void ipv4ForwardingOffIsNoFaultForIpv6OnlyPods() throws Exception {
    m.awaitHealthy();
    sandbox.breakFault(Fault.IP_FORWARD, "node2");
    try {
      assertThat(egress6("node2")).as("IPv6 egress with IPv4 forwarding off").isTrue();
      Map<String, Map<String, CheckResult>> s = m.sweep();
      m.assertOnlyFails(s, Map.of(), Set.of());
      CheckResult c = CheckMatrix.result(s, "node2", "ip-forward");
      assertThat(c.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_OK);
      assertThat(c.getEvidenceList().toString()).contains("net.ipv4.ip_forward=0 forwards none");
    } finally {
      sandbox.fix(Fault.IP_FORWARD, "node2");
    }
  }

  @Test
  void tunnelFaultFailsTunnelsOnBothEndsNamingTheIpv6Remote() throws Exception {
    m.faultCase(
        Fault.TUNNEL,
        Map.of("node2", Set.of("tunnels"), "node3", Set.of("tunnels")),
        Set.of(),
        "no tunnel to node3 (" + m.encap.apply(sandbox.node("node3")) + ")");
  }

  @Test
  void interfaceFaultNamesThePod() throws Exception {
    MatrixCases.interfaceNamesPodCase(m);
  }

  @Test
  void loadBalancerRemovedFailsServiceProgrammingNamingTheIpv6Vip() throws Exception {
    m.faultCase(
        Fault.LB_REMOVED,
        Map.of("node2", Set.of("service-programming")),
        Set.of(),
        "tcp [" + sandbox.serviceIp(6) + "]:80");
  }

  @Test
  void staleIpv6BackendFailsServiceProgrammingNamingIt() throws Exception {
    m.faultCase(
        Fault.STALE_BACKEND,
        Map.of("node2", Set.of("service-programming")),
        Set.of(),
        "[fd00:10:244:2::99]:80");
  }

  @Test
  void underlayNicWithoutCarrierFailsNic() throws Exception {
    MatrixCases.nicDownCase(m);
  }

  @Test
  void podInterfaceDeletedAndPortOffTheBridgeFailPodPlumbing() throws Exception {
    String pod = "pod " + m.lastPod("node2");
    m.faultCase(Fault.POD_IFACE_GONE, Map.of("node2", Set.of("pod-plumbing")), Set.of("ovs"), pod);
    m.faultCase(Fault.PORT_OFF_BRIDGE, Map.of("node2", Set.of("pod-plumbing")), Set.of(), pod);
  }

  @Test
  void conntrackAdmittingNothingFailsConntrackWhileNewIpv6ConnectionsDie() throws Exception {
    Pod c = client("node2");
    m.faultCase(
        Fault.CONNTRACK_FULL,
        null,
        Map.of("node2", Set.of("conntrack")),
        Set.of("dns"),
        "maxconns 0",
        () ->
            assertThat(
                    sandbox
                        .probe(
                            c.namespace() + "/" + c.name(),
                            "svc/default/web",
                            Probe.tcp(80).inFamily(6))
                        .delivered())
                .as("a new IPv6 connection through node2's full conntrack")
                .isFalse());
  }

  @Test
  void anUnreachableIpv6RouteToALocalPodFailsRoutesNamingThePod() throws Exception {
    MatrixCases.podRouteCase(m, "ovn-k8s-mp0", Set.of("dns"));
  }

  @Test
  void leftoverVethAndEth0DownInIpv6() throws Exception {
    MatrixCases.leftoverVethCase(m);
    MatrixCases.eth0DownCase(m);
  }

  @Test
  void kernelKnobsStopIpv6EgressOfTheirNodeOnly() throws Exception {
    // the node kernel's IPv6 faults (ip6tables FORWARD rules, an unreachable /128 to ext): real
    // IPv6 packets die on node2, node1's still pass; no check FAILs (none reads FORWARD rules)
    for (Fault f : new Fault[] {Fault.FW_DROP, Fault.FW_REJECT, Fault.ROUTE}) {
      sandbox.breakFault(f, "node2");
      try {
        assertThat(egress6("node2")).as(f + " on node2").isFalse();
        assertThat(egress6("node1")).as(f + " leaves node1 alone").isTrue();
      } finally {
        sandbox.fix(f, "node2");
      }
      assertThat(egress6("node2")).as("after fixing " + f).isTrue();
    }
  }

  @Test
  void dfProbeInIpv6PassesAtThePodMtuAndFailsOverTheTunnelBudget() throws Exception {
    m.awaitHealthy();
    Pod src = client("node1");
    Pod dst = client("node2");
    CheckMatrix.AgentCalls h = m.calls("node1");
    // ICMPv6: 40 + 8 header bytes on top of ping's payload
    assertThat(ChecksSandboxTest.ping(h, src, dst, 1400 - 48).getDelivered())
        .as("pod MTU 1400: 1400 + 78 fits 1500")
        .isTrue();
    sandbox.breakFault(Fault.MTU, "node1");
    sandbox.breakFault(Fault.MTU, "node2");
    try {
      ProbeResult big = ChecksSandboxTest.ping(h, src, dst, 1500 - 48);
      assertThat(big.getDelivered()).as("1500 + 78 > 1500: " + big.getDetail()).isFalse();
      assertThat(ChecksSandboxTest.ping(h, src, dst, 1422 - 48).getDelivered())
          .as("1422 + 78 = 1500 fits")
          .isTrue();
      assertThat(ChecksSandboxTest.ping(h, src, dst, 1423 - 48).getDelivered())
          .as("1423 + 78 > 1500")
          .isFalse();
    } finally {
      sandbox.fix(Fault.MTU, "node2");
      sandbox.fix(Fault.MTU, "node1");
    }
  }
}
