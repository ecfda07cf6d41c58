package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SandboxExtension.class)
@SandboxConfig(mode = Mode.OVS, apps = false)
class OvsModeTest {

  @Test
  void plainOvsHasNoOvnAndGeneveToEveryPeer(Sandbox sb) {
    assertThat(sb.mode()).isEqualTo(Mode.OVS);
    assertThat(sb.ovnNbSocket()).isEmpty();
    for (Node n : sb.nodes()) {
      for (Node peer : sb.nodes()) {
        if (!peer.equals(n)) {
          assertThat(FaultTest.geneveTo(sb, n.name(), peer.ip())).isEqualTo("gnv-" + peer.name());
        }
      }
    }
  }

  @Test
  void everyPodReachesEveryOtherPodByIcmpTcpAndUdp(Sandbox sb) {
    SandboxTests.assertAllPairsReach(sb, List.of(Probe.icmp(), Probe.tcp(80), Probe.udp(53)));
  }

  @Test
  void serviceVipReachesEveryEndpointFromEveryPod(Sandbox sb) {
    SandboxTests.assertServiceReachesAllEndpoints(sb);
  }

  @Test
  void podsReachTheExternalHost(Sandbox sb) {
    for (Pod src : sb.pods()) {
      assertThat(sb.probe(src.ref(), "ext", Probe.tcp(80)).delivered()).isTrue();
    }
  }

  @Test
  void tunnelFaultCutsThePairAndFixHeals(Sandbox sb) {
    try {
      sb.breakFault(Fault.TUNNEL, "node2");
      assertThat(sb.probe("default/client-2", "default/web-3", Probe.tcp(80)).delivered())
          .isFalse();
      assertThat(sb.probe("default/client-2", "default/web-1", Probe.tcp(80)).delivered()).isTrue();
    } finally {
      sb.fix(Fault.TUNNEL, "node2");
    }
    assertThat(sb.probe("default/client-2", "default/web-3", Probe.tcp(80)).delivered()).isTrue();
  }
}
