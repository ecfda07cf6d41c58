package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.testkit.Fault;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RunChecks on {@code --mode aci} (ACI CNI: pods on br-access without external_ids, patch ports to
 * br-int, vxlan0 to the fabric's leaf on the IPv4 underlay) in the sandbox's family (the subclass's
 * {@code @SandboxConfig}). The mode builds no Services (hack/README.md), so the context carries
 * none and no cluster DNS, and hack/sandbox refuses the Service knobs.
 */
abstract class AciMatrix extends FamilyMatrix {
  @BeforeAll
  static void noServices() {
    m.adjust = c -> c.toBuilder().clearServices().clearDnsServiceIp().build();
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
  void mtuFaultFailsMtuAgainstTheVxlanBudget() throws Exception {
    m.faultCase(Fault.MTU, Map.of("node2", Set.of("mtu")), Set.of(), "1500");
  }

  @Test
  void portOffTheBridgeAndPodInterfaceGoneFailPodPlumbingNamingThePod() throws Exception {
    String pod = "pod " + m.lastPod("node2");
    m.faultCase(Fault.PORT_OFF_BRIDGE, Map.of("node2", Set.of("pod-plumbing")), Set.of(), pod);
    // the pod's eth0 goes, its host veth with it; OVS may notice (ovs FAIL) or not yet
    m.faultCase(Fault.POD_IFACE_GONE, Map.of("node2", Set.of("pod-plumbing")), Set.of("ovs"), pod);
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

  @Test
  void leftoverVethWarnsAndEth0DownFailsPodPlumbing() throws Exception {
    MatrixCases.leftoverVethCase(m);
    if (family() == 4) {
      MatrixCases.eth0DownCase(m);
      return;
    }
    // IPv6: a link set down loses its IPv6 addresses, so the pod (found by its IP: ACI names no
    // pod in OVSDB) cannot be matched to its port; the FAIL names the pod and says why, and its
    // port is not called another node's pod's
    String pod = "pod default/web-2";
    m.faultCase(Fault.ETH0_DOWN, Map.of("node2", Set.of("pod-plumbing")), Set.of(), pod);
    assertThat(CheckMatrix.result(m.lastFault, "node2", "pod-plumbing").getSummary())
        .as(CheckMatrix.describe(m.lastFault))
        .contains(pod + ": no pod port of this node leads to it")
        .contains("its eth0 is down (a down link loses its IPv6 addresses)")
        .contains("it may be the port of [default/web-2]")
        .doesNotContain("which is not on this node");
  }
}
