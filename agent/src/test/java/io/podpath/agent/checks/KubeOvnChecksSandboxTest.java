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
 * RunChecks on {@code --mode kube-ovn} (real OVN with Kube-OVN's names: ovn0 on the join switch,
 * pods on one ovn-default switch with iface-id {@code <pod>.<ns>}, per-peer Geneve ports).
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 3, mode = Mode.KUBE_OVN, apps = false)
class KubeOvnChecksSandboxTest {
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
    assertThat(CheckMatrix.result(s, "node1", "tunnels").getEvidenceList().toString())
        .as(CheckMatrix.describe(s))
        .contains(m.ip("node2"))
        .contains(m.ip("node3"));
    assertThat(CheckMatrix.result(s, "node2", "pod-plumbing").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("every expected pod plumbed");
    assertThat(CheckMatrix.result(s, "node2", "dns").getStatus())
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
  }

  @Test
  void mtuFaultFailsMtuOnThatNodeOnly() throws Exception {
    m.faultCase(Fault.MTU, Map.of("node2", Set.of("mtu")), Set.of(), "1500");
  }

  @Test
  void tunnelFaultFailsTunnelsOnBothEnds() throws Exception {
    // disjoint transport zones: ovn-controller removes the Geneve port on both ends
    m.faultCase(
        Fault.TUNNEL,
        Map.of("node2", Set.of("tunnels"), "node3", Set.of("tunnels")),
        Set.of("dns"),
        "remote_ip");
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
  void anUnreachableRouteToALocalPodFailsRoutesAgainstOvn0() throws Exception {
    MatrixCases.podRouteCase(m, "ovn0", Set.of());
  }
}
