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
 * RunChecks on {@code --mode antrea} (br-int, antrea-gw0, flow-based Geneve antrea-tun0 whose peers
 * are written as load:IP->NXM_NX_TUN_IPV4_DST[], pods named on their Port rows).
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 3, mode = Mode.ANTREA, apps = false)
class AntreaChecksSandboxTest {
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
    m.awaitHealthy();
    Map<String, Map<String, CheckResult>> s = m.sweep();
    m.assertHealthy(s);
    assertThat(CheckMatrix.result(s, "node1", "ovs").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("br-int");
    // antrea-tun0's peers from L3Forwarding's load:<IP>->NXM_NX_TUN_IPV4_DST[]
    assertThat(CheckMatrix.result(s, "node1", "tunnels").getEvidenceList().toString())
        .as(CheckMatrix.describe(s))
        .contains("antrea-tun0")
        .contains(m.ip("node2"))
        .contains(m.ip("node3"));
    assertThat(CheckMatrix.result(s, "node2", "pod-plumbing").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("every expected pod plumbed");
    assertThat(CheckMatrix.result(s, "node2", "dns").getStatus())
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
    // the Geneve budget without ovn-encap-ip: the route to each peer of antrea-tun0's flows
    assertThat(CheckMatrix.result(s, "node1", "mtu").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("antrea-tun0")
        .contains("- 50");
  }

  @Test
  void mtuFaultFailsMtuOnThatNodeNamingAntreaTun0() throws Exception {
    m.faultCase(Fault.MTU, Map.of("node2", Set.of("mtu")), Set.of(), "antrea-tun0");
    assertThat(CheckMatrix.result(m.lastFault, "node2", "mtu").getSummary())
        .contains("MTU 1500 > 1450");
  }

  @Test
  void tunnelFaultFailsTunnelsNamingTheMissingPeer() throws Exception {
    // node2 loses node3's route: antrea-tun0 is fine, but no flow sends to node3 any more; DNS
    // from node2 may pick the backend on node3 and really die, and node3's query to node2's
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
    // the host veth of node2's last pod is gone: OVS reports "No such device" on a port whose pod
    // the profile's external_ids name; the pod has no port
    MatrixCases.interfaceNamesPodCase(m);
  }

  @Test
  void nicDownFailsNicNamingTheUnderlayNic() throws Exception {
    // no ovn-encap-ip: the underlay is the device of the route to the tunnel peers
    MatrixCases.nicDownCase(m);
  }

  @Test
  void anUnreachableRouteToALocalPodFailsRoutesAgainstAntreaGw0() throws Exception {
    // the DNS replies to that pod, routed by node2's kernel (Antrea's kube-proxy), die too
    MatrixCases.podRouteCase(m, "antrea-gw0", Set.of("dns"));
  }
}
