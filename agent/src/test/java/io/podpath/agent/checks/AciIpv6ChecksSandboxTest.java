package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.testkit.Fault;
import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RunChecks on an IPv6-only ACI sandbox (opflex-agent's IPv6 flows, pods found by their IPv6
 * address, VXLAN to the leaf on the IPv4 underlay): a healthy cluster sweeps clean, and a pod port
 * taken off its bridge FAILs pod-plumbing on that node naming the pod. The mode builds no Services,
 * so the context carries none and no cluster DNS (as {@link AciChecksSandboxTest}).
 */
@SandboxConfig(nodes = 2, mode = Mode.ACI, ipFamily = IpFamily.IPV6, apps = false)
class AciIpv6ChecksSandboxTest extends HealthySweep {
  @BeforeAll
  static void noServices() {
    m.adjust = c -> c.toBuilder().clearServices().clearDnsServiceIp().build();
  }

  @Test
  void healthyIpv6SweepHasNoErrorAndNoFalseFail() throws Exception {
    Map<String, Map<String, CheckResult>> s = healthySweep();
    assertThat(CheckMatrix.result(s, "node1", "tunnels").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("fabric");
    assertThat(CheckMatrix.result(s, "node1", "mtu").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("vxlan0")
        .contains("- 50");
    assertThat(CheckMatrix.result(s, "node2", "pod-plumbing").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("every expected pod plumbed");
  }

  @Test
  void portOffTheBridgeFailsPodPlumbingNamingTheIpv6Pod() throws Exception {
    m.faultCase(
        Fault.PORT_OFF_BRIDGE,
        Map.of("node2", Set.of("pod-plumbing")),
        Set.of(),
        "pod " + m.lastPod("node2"));
  }
}
