package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.sweep.SandboxSweeps.Break;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.SweepResult;
import io.podpath.testkit.Fault;
import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * mtu-probe on a REAL IPv6-only 3-node OVN sandbox with Geneve over the nodes' IPv6 addresses
 * (underlay 1500, pod MTU 1400): the DF probe is an ICMPv6 echo of pod MTU - 48 bytes, and a
 * blackhole names the hop that limits the size with the IPv6 tunnel budget (1500 - 78 = 1422).
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false, ipFamily = IpFamily.IPV6, ipv6Underlay = true)
class Ipv6MtuProbeSandboxTest {
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
  void aHealthyIpv6ClusterPassesTheIcmpv6DfProbe() throws Exception {
    SweepResult r = s.awaitHealthy();
    CheckResult p = s.probe(r);
    assertThat(p.getStatus())
        .as(SweepSandboxTest.describe(r))
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
    assertThat(p.getEvidenceList().toString())
        .contains("DF ping -s 1352 (pod MTU 1400 - 48)")
        .contains("fd00:10:244:");
  }

  @Test
  void bothEndsAt1500NameTheIpv6TunnelBudget() throws Exception {
    s.probeFailsUnder(
        p -> {
          // Geneve over IPv6: 1500 - 78 (58 + 20 more for the IPv6 outer header)
          assertThat(MtuProbeHopsSandboxTest.pair(p, "node2→node3"))
              .contains("MTU blackhole")
              .contains("limited by the tunnel of node")
              .contains("1422")
              .doesNotContain("receiving pod");
          assertThat(p.getEvidenceList().toString())
              .contains("DF ping -s 1452 (pod MTU 1500 - 48)");
          assertThat(p.getRemediation()).contains("Lower the pod MTU of node2 from 1500 to 1422");
        },
        new Break(Fault.MTU, "node2"),
        new Break(Fault.MTU, "node3"));
  }

  @Test
  void aSmallerMtuBetweenTheNodesIsNamed() throws Exception {
    // node2's fabric port drops frames over 1400: 1400 + 78 vanishes between the nodes
    s.probeFailsUnder(
        p ->
            assertThat(MtuProbeHopsSandboxTest.pair(p, "node2→node3"))
                .contains("MTU blackhole")
                .contains("a device between the nodes")
                .doesNotContain("tunnel of node"),
        new Break(Fault.UNDERLAY_MTU, "node2"));
  }

  @Test
  void aPodWhoseOwnEth0IsSmallerIsNamedAsReceiverAndAsSender() throws Exception {
    s.probeFailsUnder(
        p -> {
          assertThat(MtuProbeHopsSandboxTest.pair(p, "node2→node3"))
              .containsPattern("the receiving pod default/\\S+ \\(its eth0 MTU 1300\\)");
          assertThat(MtuProbeHopsSandboxTest.pair(p, "node3→node1"))
              .contains("the sending pod default/");
        },
        new Break(Fault.POD_ETH0_MTU, "node3"));
  }
}
