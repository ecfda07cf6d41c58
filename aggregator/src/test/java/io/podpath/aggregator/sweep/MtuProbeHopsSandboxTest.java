package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.sweep.SandboxSweeps.Break;
import io.podpath.proto.v1.CheckResult;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * mtu-probe on a REAL 3-node OVN sandbox (underlay 1500, pod MTU 1400; shared with the other 3-node
 * tests of this JVM): no connectivity is told apart from a blackhole, and a blackhole names the hop
 * that limits the size with the fix for it (issue 17).
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false)
class MtuProbeHopsSandboxTest {
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
  void bothEndsAt1500OverA1500UnderlayNameTheTunnelOnly() throws Exception {
    s.probeFailsUnder(
        p -> {
          // node2→node3: sender and receiver pods agree on 1500; OVN Geneve leaves 1500 - 58
          assertThat(p.getSummary())
              .contains("node2→node3")
              .contains("MTU blackhole")
              .contains("limited by the tunnel of node")
              .contains("1442");
          assertThat(p.getSummary().split(";")[0]).doesNotContain("receiving pod");
          assertThat(p.getRemediation()).contains("Lower the pod MTU of node2 from 1500 to 1442");
        },
        new Break(Fault.MTU, "node2"),
        new Break(Fault.MTU, "node3"));
  }

  @Test
  void aLostSmallPingIsNoConnectivityWithoutMtuAdvice() throws Exception {
    // node2 and node3 in disjoint transport zones: no tunnel between them, small packets die too
    s.probeFailsUnder(
        p -> {
          assertThat(p.getSummary())
              .contains("node2→node3: no connectivity at all")
              .contains("not an MTU problem")
              .doesNotContain("blackhole");
          assertThat(p.getRemediation())
              .contains("Not an MTU problem")
              .doesNotContain("Lower the pod MTU");
        },
        new Break(Fault.TUNNEL, "node2"));
  }

  @Test
  void aSmallerMtuBetweenTheNodesIsNamedWhenEveryHopTheAgentsSeeCarriesTheSize() throws Exception {
    // node2's fabric port drops frames over 1400: its pods' 1400-byte packets, tunnelled (1458),
    // vanish between the nodes; node2's NIC, its tunnel budget (1442) and both pods say 1400 fits
    s.probeFailsUnder(
        p -> {
          assertThat(pair(p, "node2→node3"))
              .contains("MTU blackhole")
              .contains("a device between the nodes")
              .doesNotContain("tunnel of node")
              .doesNotContain("receiving pod")
              .doesNotContain("sending pod");
          assertThat(p.getRemediation())
              .contains("smaller MTU on the underlay path between node2 and node3")
              .doesNotContain("Lower the pod MTU");
        },
        new Break(Fault.UNDERLAY_MTU, "node2"));
  }

  @Test
  void aPodWhoseOwnEth0IsSmallerIsNamedAsReceiverAndAsSender() throws Exception {
    // node3's pods: eth0 1300 inside, host veths 1400 (the node's pod MTU), tunnels carry 1442
    s.probeFailsUnder(
        p -> {
          assertThat(pair(p, "node2→node3"))
              .as(p.getSummary())
              .contains("MTU blackhole")
              .containsPattern("the receiving pod default/\\S+ \\(its eth0 MTU 1300\\)")
              .doesNotContain("a device between the nodes")
              .doesNotContain("tunnel of node");
          assertThat(pair(p, "node3→node1"))
              .as(p.getSummary())
              .contains("the sending pod default/")
              .doesNotContain("a device between the nodes");
          assertThat(p.getRemediation())
              .contains("has a smaller MTU (1300) than its node's pods (1400)")
              .doesNotContain("Lower the pod MTU");
        },
        new Break(Fault.POD_ETH0_MTU, "node3"));
  }

  /** The part of mtu-probe's summary about one node pair ("nodeA→nodeB: …"). */
  static String pair(CheckResult p, String pair) {
    return Arrays.stream(p.getSummary().split("; (?=node[0-9]+→)"))
        .filter(x -> x.contains(pair))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + pair + " in " + p.getSummary()));
  }
}
