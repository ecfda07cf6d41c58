package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
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
 * RunChecks on {@code --mode aci} (ACI CNI: pods on br-access without external_ids, patch ports to
 * br-int, vxlan0 to the fabric's leaf). The mode builds no Services (hack/README.md), so the
 * context carries none and no cluster DNS.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 3, mode = Mode.ACI, apps = false)
class AciChecksSandboxTest {
  static CheckMatrix m;

  @BeforeAll
  static void start(Sandbox s) throws Exception {
    m = new CheckMatrix(s);
    m.adjust = c -> c.toBuilder().clearServices().clearDnsServiceIp().build();
  }

  @AfterAll
  static void stop() {
    m.close();
  }

  @Test
  void healthySweepHasNoErrorAndNoFalseFail() throws Exception {
    // both bridges expected; vxlan0 ends at the leaf, not at each peer; pods mapped by ifindex
    m.awaitHealthy();
    Map<String, Map<String, CheckResult>> s = m.sweep();
    m.assertHealthy(s);
    assertThat(CheckMatrix.result(s, "node1", "ovs").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("br-access")
        .contains("br-int");
    assertThat(CheckMatrix.result(s, "node1", "tunnels").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("fabric");
    // the VXLAN budget from the route to the leaf that vxlan0's flows send to
    assertThat(CheckMatrix.result(s, "node1", "mtu").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("vxlan0")
        .contains("- 50");
    assertThat(CheckMatrix.result(s, "node2", "pod-plumbing").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("every expected pod plumbed");
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
  void nicDownFailsNicNamingTheUnderlayNic() throws Exception {
    // no ovn-encap-ip: the underlay is the device of the route to the tunnel peers
    MatrixCases.nicDownCase(m);
  }

  @Test
  void interfaceFaultFailsOvsAsAPodPortAndPodPlumbingNamingThePod() throws Exception {
    // ACI writes no ids on the port and the fault takes the pod's eth0 with its veth: ovs knows the
    // port is a pod's (plain interface on br-access) and says so without a name; pod-plumbing
    // names the pod
    m.faultCase(
        Fault.INTERFACE,
        Map.of("node2", Set.of("ovs", "pod-plumbing")),
        Set.of(),
        "No such device");
    CheckResult ovs = CheckMatrix.result(m.lastFault, "node2", "ovs");
    assertThat(ovs.getSummary())
        .as(CheckMatrix.describe(m.lastFault))
        .contains("(port of a pod whose name this node does not show");
    assertThat(ovs.getRemediation()).contains("delete the pod").doesNotContain("del-port");
    assertThat(CheckMatrix.result(m.lastFault, "node2", "pod-plumbing").getSummary())
        .contains("pod " + m.lastPod("node2"));
  }
}
