package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RunChecks on an IPv6-only Kube-OVN sandbox (pods, join, Service and load balancers in IPv6,
 * Geneve over the IPv4 underlay): a healthy cluster sweeps clean on every node.
 */
@SandboxConfig(nodes = 2, mode = Mode.KUBE_OVN, ipFamily = IpFamily.IPV6, apps = false)
class KubeOvnIpv6ChecksSandboxTest extends HealthySweep {
  @Test
  void healthyIpv6SweepHasNoErrorAndNoFalseFail() throws Exception {
    Map<String, Map<String, CheckResult>> s = healthySweep();
    assertThat(CheckMatrix.result(s, "node2", "pod-plumbing").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("every expected pod plumbed");
  }
}
