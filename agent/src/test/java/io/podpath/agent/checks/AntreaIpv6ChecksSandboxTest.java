package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RunChecks on an IPv6-only Antrea sandbox, whose Services kube-proxy programs in ip6tables only: a
 * healthy cluster sweeps clean, and {@code service-programming} reads the IPv6 proxier's rules
 * instead of calling the IPv6 ClusterIP unprogrammed.
 */
@SandboxConfig(nodes = 2, mode = Mode.ANTREA, ipFamily = IpFamily.IPV6, apps = false)
class AntreaIpv6ChecksSandboxTest extends HealthySweep {
  @Test
  void healthyIpv6SweepReadsKubeProxysIp6tables() throws Exception {
    Map<String, Map<String, CheckResult>> s = healthySweep();
    for (String node : s.keySet()) {
      CheckResult sp = CheckMatrix.result(s, node, "service-programming");
      assertThat(sp.getStatus()).as(CheckMatrix.describe(s)).isEqualTo(CheckStatus.CHECK_STATUS_OK);
      assertThat(sp.getSummary()).as(CheckMatrix.describe(s)).contains("ip6tables KUBE-SERVICES");
    }
  }
}
