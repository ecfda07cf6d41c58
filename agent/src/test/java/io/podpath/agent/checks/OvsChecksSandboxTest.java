package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Mode;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The checks' fault matrix on a REAL 3-node sandbox in ovs mode (plain OVS, no OVN: Geneve ports
 * gnv-nodeJ made by hand, kube-proxy-style iptables Service), shared with the other ovs-mode tests
 * of this JVM. Each fault makes its check FAIL naming the object, and no other check of the node
 * claims that object is fine.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 3, mode = Mode.OVS, apps = false)
class OvsChecksSandboxTest {
  static CheckMatrix m;

  @BeforeAll
  static void start(Sandbox s) throws Exception {
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
    // plain OVS tunnels are budgeted too: Geneve without OVN's option is 50 bytes
    assertThat(CheckMatrix.result(s, "node1", "mtu").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("1400")
        .contains("gnv-node")
        .contains("- 50");
    assertThat(CheckMatrix.result(s, "node2", "service-programming").getStatus())
        .as(CheckMatrix.describe(s))
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
  }

  @Test
  void mtuFaultFailsMtuOnThatNodeNamingThePlainOvsTunnel() throws Exception {
    // pod MTU 1500 over a 1500 underlay with plain Geneve (50): 1450 is the most the tunnels carry
    m.faultCase(Fault.MTU, Map.of("node2", Set.of("mtu")), Set.of(), "gnv-node");
    assertThat(CheckMatrix.result(m.lastFault, "node2", "mtu").getSummary())
        .contains("MTU 1500 > 1450");
  }

  @Test
  void ipForwardFaultFailsIpForward() throws Exception {
    // kube-proxy's Service path goes through the node kernel here: with forwarding off the DNS
    // queries to the Service VIP really die too (a second true view, not a false one)
    m.faultCase(
        Fault.IP_FORWARD,
        Map.of("node2", Set.of("ip-forward")),
        Set.of("dns"),
        "/proc/sys/net/ipv4/ip_forward");
  }

  @Test
  void tunnelFaultFailsTunnels() throws Exception {
    // node2 loses its port to node3; kube-proxy may pick the DNS backend on node3 for node2's
    // queries, which then really die; node3's queries to node2's backend lose their replies the
    // same way (true views; node1's DNS must stay clean)
    m.mayAlsoFailOn = Map.of("node3", Set.of("dns"));
    try {
      m.faultCase(Fault.TUNNEL, Map.of("node2", Set.of("tunnels")), Set.of("dns"), "remote_ip");
    } finally {
      m.mayAlsoFailOn = Map.of();
    }
    // no OVN here: the fix must not send the reader to ovn-sbctl / ovn-controller
    assertThat(CheckMatrix.result(m.lastFault, "node2", "tunnels").getRemediation())
        .contains("CNI's node agent")
        .doesNotContain("ovn");
  }

  @Test
  void interfaceFaultFailsOvsAndPodPlumbing() throws Exception {
    m.faultCase(
        Fault.INTERFACE,
        Map.of("node2", Set.of("ovs", "pod-plumbing")),
        Set.of(),
        "No such device");
    assertThat(CheckMatrix.result(m.lastFault, "node2", "pod-plumbing").getSummary())
        .contains("pod " + m.lastPod("node2"));
    // no OVN here: nobody named ovnkube-node re-plumbs the pod, and its port is not deleted by hand
    CheckResult ovs = CheckMatrix.result(m.lastFault, "node2", "ovs");
    assertThat(ovs.getSummary()).contains("port of pod " + m.lastPod("node2"));
    assertThat(ovs.getRemediation())
        .contains("delete the pod")
        .contains("the CNI's node agent")
        .doesNotContain("ovn")
        .doesNotContain("del-port");
    assertThat(CheckMatrix.result(m.lastFault, "node2", "pod-plumbing").getRemediation())
        .contains("the CNI's node agent")
        .doesNotContain("ovn");
  }

  @Test
  void podEth0DownFailsPodPlumbingNamingThePod() throws Exception {
    MatrixCases.eth0DownCase(m);
  }

  @Test
  void leftoverVethIsReportedByPodPlumbing() throws Exception {
    MatrixCases.leftoverVethCase(m);
  }

  @Test
  void conntrackAdmittingNothingFailsConntrack() throws Exception {
    // br-int is a userspace (netdev) datapath here too: maxconns 0 admits no new connection
    m.faultCase(
        Fault.CONNTRACK_FULL, Map.of("node2", Set.of("conntrack")), Set.of("dns"), "maxconns 0");
  }

  @Test
  void portOffTheBridgeFailsPodPlumbingNamingThePod() throws Exception {
    m.faultCase(
        Fault.PORT_OFF_BRIDGE,
        Map.of("node2", Set.of("pod-plumbing")),
        Set.of(),
        "pod " + m.lastPod("node2"));
  }

  @Test
  void podInterfaceDeletedFailsPodPlumbingNamingThePod() throws Exception {
    m.faultCase(
        Fault.POD_IFACE_GONE,
        Map.of("node2", Set.of("pod-plumbing")),
        Set.of("ovs"),
        "pod " + m.lastPod("node2"));
  }

  @Test
  void kubeProxyRuleRemovedFailsServiceProgramming() throws Exception {
    m.faultCase(
        Fault.LB_REMOVED,
        Map.of("node2", Set.of("service-programming")),
        Set.of(),
        "tcp " + m.sandbox.serviceIp() + ":80");
  }

  @Test
  void nodePortRuleRemovedFailsServiceProgrammingThere() throws Exception {
    // kube-proxy's KUBE-NODEPORTS rule (-> KUBE-SVC -> KUBE-SEP) is what node2 loses
    MatrixCases.nodePortCase(m, "kube-proxy");
  }

  @Test
  void staleKubeProxyBackendFailsServiceProgrammingNamingIt() throws Exception {
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
  void nicDownFailsNicNamingTheUnderlayNic() throws Exception {
    // no ovn-encap-ip: the underlay is the device of the route to the tunnel peers
    MatrixCases.nicDownCase(m);
  }
}
