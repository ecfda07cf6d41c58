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

/** RunChecks on {@code --mode sdn} (OpenShift SDN: br0, vxlan0, tun0; pods found by their IP). */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 3, mode = Mode.SDN, apps = false)
class SdnChecksSandboxTest {
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
  void healthySweepHasNoErrorAndNoFalseFail() throws Exception {
    // every pod found by its IP (SDN names no pod in OVSDB), br0 expected instead of br-int,
    // vxlan0's peers read from the flows' set_field:IP->tun_dst
    m.awaitHealthy();
    Map<String, Map<String, CheckResult>> s = m.sweep();
    m.assertHealthy(s);
    assertThat(CheckMatrix.result(s, "node1", "ovs").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("br0");
    assertThat(CheckMatrix.result(s, "node1", "tunnels").getEvidenceList().toString())
        .as(CheckMatrix.describe(s))
        .contains("vxlan0")
        .contains(m.ip("node2"))
        .contains(m.ip("node3"));
    assertThat(CheckMatrix.result(s, "node2", "pod-plumbing").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("every expected pod plumbed");
    assertThat(CheckMatrix.result(s, "node2", "dns").getStatus())
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
    // the VXLAN budget without ovn-encap-ip: the route to each peer of vxlan0's flows
    assertThat(CheckMatrix.result(s, "node1", "mtu").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("vxlan0")
        .contains("- 50");
  }

  @Test
  void mtuFaultFailsMtuOnThatNodeNamingVxlan0() throws Exception {
    // pod MTU 1500 over a 1500 underlay with VXLAN (50): 1450 is the most vxlan0 carries
    m.faultCase(Fault.MTU, Map.of("node2", Set.of("mtu")), Set.of(), "vxlan0");
    assertThat(CheckMatrix.result(m.lastFault, "node2", "mtu").getSummary())
        .contains("MTU 1500 > 1450");
  }

  @Test
  void tunnelFaultFailsTunnelsNamingTheMissingTunDst() throws Exception {
    // node2 loses node3's HostSubnet flows: vxlan0 is fine, but no flow sends to node3 any more;
    // DNS from node2 may pick the backend on node3 and really die, and node3's query to node2's
    // backend loses its reply the same way (true views; node1's DNS must stay clean)
    m.mayAlsoFailOn = Map.of("node3", Set.of("dns"));
    try {
      m.faultCase(
          Fault.TUNNEL,
          Map.of("node2", Set.of("tunnels")),
          Set.of("dns"),
          "tun_dst=" + m.ip("node3"));
    } finally {
      m.mayAlsoFailOn = Map.of();
    }
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
  void interfaceFaultFailsOvsAndPodPlumbingNamingThePod() throws Exception {
    // SDN names no pod in OVSDB: the broken port's pod is the local pod whose IP its ip= holds
    MatrixCases.interfaceNamesPodCase(m);
  }

  @Test
  void nicDownFailsNicNamingTheUnderlayNic() throws Exception {
    // no ovn-encap-ip: the underlay is the device of the route to the tunnel peers
    MatrixCases.nicDownCase(m);
  }

  @Test
  void anUnreachableRouteToALocalPodFailsRoutesAgainstTun0() throws Exception {
    // the DNS replies to that pod, routed by node2's kernel (kube-proxy on the host), die too
    MatrixCases.podRouteCase(m, "tun0", Set.of("dns"));
  }
}
