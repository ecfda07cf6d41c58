package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.SweepResult;
import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * mtu-probe on a REAL dual-stack 2-node OVN sandbox (pod MTU 1400): each node's pod pings the other
 * node's pod in both families, a DF IPv4 echo of pod MTU - 28 and an ICMPv6 one of - 48.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, apps = false, ipFamily = IpFamily.DUAL)
class DualStackMtuProbeSandboxTest {
  static SandboxSweeps s;

  @BeforeAll
  static void start(Sandbox sb) throws Exception {
    s = new SandboxSweeps(sb);
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void aHealthyDualStackClusterPassesTheProbeInBothFamilies() throws Exception {
    SweepResult r = s.awaitHealthy();
    CheckResult p = s.probe(r);
    assertThat(p.getStatus())
        .as(SweepSandboxTest.describe(r))
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
    assertThat(p.getEvidenceList().toString())
        .contains("DF ping -s 1372 (pod MTU 1400 - 28)")
        .contains("DF ping -s 1352 (pod MTU 1400 - 48)")
        .contains("fd00:10:244:");
  }
}
