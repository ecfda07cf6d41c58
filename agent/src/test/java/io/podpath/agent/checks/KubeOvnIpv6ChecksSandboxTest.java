package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RunChecks on an IPv6-only Kube-OVN sandbox (pods, join, Service and load balancers in IPv6,
 * Geneve over the IPv4 underlay): a healthy cluster sweeps clean on every node.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, mode = Mode.KUBE_OVN, ipFamily = IpFamily.IPV6, apps = false)
class KubeOvnIpv6ChecksSandboxTest {
  static CheckMatrix m;

  @BeforeAll
  static void start(Sandbox s) throws Exception {
    m = new CheckMatrix(s);
  }

  @AfterAll
  static void stop() {
    if (m != null) {
      m.close();
    }
  }

  @Test
  void healthyIpv6SweepHasNoErrorAndNoFalseFail() throws Exception {
    m.awaitHealthy();
    Map<String, Map<String, CheckResult>> s = m.sweep();
    m.assertHealthy(s);
    assertThat(s.get("node2").get("pod-plumbing").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("every expected pod plumbed");
  }
}
