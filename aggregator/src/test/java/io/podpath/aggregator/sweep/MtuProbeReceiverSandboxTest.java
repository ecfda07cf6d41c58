package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.SweepResult;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * mtu-probe where the receiving pod, not the tunnel, limits the size: a REAL 3-node OVN sandbox
 * with a 1600 underlay (the tunnels carry pod MTU 1542), node2's pods at 1500 sending to node3's at
 * 1400.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(underlayMtu = 1600, apps = false)
class MtuProbeReceiverSandboxTest {
  static Sandbox sandbox;
  static SandboxSweeps s;

  @BeforeAll
  static void start(Sandbox sb) throws Exception {
    sandbox = sb;
    s = new SandboxSweeps(sb);
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void aSmallerReceivingPodIsNamedNotTheTunnel() throws Exception {
    SweepResult healthy = s.awaitHealthy();
    assertThat(s.probe(healthy).getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_OK);
    sandbox.breakFault(Fault.MTU, "node2");
    try {
      SweepResult r = s.sweep();
      CheckResult p = s.probe(r);
      assertThat(p.getStatus())
          .as(SweepSandboxTest.describe(r))
          .isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
      assertThat(p.getSummary())
          .contains("node2→node3")
          .contains("MTU blackhole")
          .contains("the receiving pod default/")
          .contains("(MTU 1400)")
          .doesNotContain("tunnel of");
      assertThat(p.getRemediation())
          .contains("Pods disagree on the MTU")
          .doesNotContain("underlay");
      // and the node check agrees: 1500 fits this node's tunnels
      assertThat(SweepSandboxTest.node(r, "node2", "mtu").getStatus())
          .isNotEqualTo(CheckStatus.CHECK_STATUS_FAIL);
    } finally {
      sandbox.fix(Fault.MTU, "node2");
    }
  }
}
