package io.podpath.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.mesh.PeerSets;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.NodeSummary;
import io.podpath.proto.v1.TunnelPort;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class FleetTest {
  @Test
  void nodesMapToPortsAndBack() {
    assertThat(Fleet.port(20001, 1)).isEqualTo(20001);
    assertThat(Fleet.node(20001, Fleet.port(20001, 5000))).isEqualTo(5000);
    assertThat(Fleet.encapIp(1)).isEqualTo("100.64.0.1");
    assertThat(Fleet.encapIp(5000)).isEqualTo("100.64.19.136");
  }

  @Test
  void meshGivesEveryOtherNodeATunnel() {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      NodeInfo recorded =
          NodeInfo.newBuilder()
              .setNodeName("node1")
              .addTunnels(TunnelPort.newBuilder().setName("ovn-x-0").setRemoteIp("172.31.8.12"))
              .build();
      FleetService s =
          new FleetService(
              io.podpath.proto.v1.CheckReport.getDefaultInstance(),
              recorded,
              io.podpath.proto.v1.ProbeResult.getDefaultInstance(),
              null,
              FleetService.Tunnels.MESH,
              4,
              timer);
      NodeInfo n2 = s.nodeInfo(2);
      assertThat(n2.getNodeName()).isEqualTo("node2");
      assertThat(n2.getTunnelsList().stream().map(TunnelPort::getRemoteIp).toList())
          .isEqualTo(List.of(Fleet.encapIp(1), Fleet.encapIp(3), Fleet.encapIp(4)));
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void aMeshNodeSummaryMatchesTheAggregatorsPeerSetAsARealAgentWould() {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      NodeInfo recorded =
          NodeInfo.newBuilder()
              .setPodMtu(1400)
              .setUnderlayMtu(1500)
              .addTunnels(TunnelPort.newBuilder().setName("ovn-x-0").setRemoteIp("172.31.8.12"))
              .build();
      FleetService s =
          new FleetService(
              io.podpath.proto.v1.CheckReport.getDefaultInstance(),
              recorded,
              io.podpath.proto.v1.ProbeResult.getDefaultInstance(),
              null,
              FleetService.Tunnels.MESH,
              4,
              timer);
      PeerSets.Expected all =
          PeerSets.expected(
              List.of(Fleet.encapIp(1), Fleet.encapIp(2), Fleet.encapIp(3), Fleet.encapIp(4)));
      NodeSummary ok = s.summary(2, all.forNode(Fleet.encapIp(2)));
      // what the real agent computes from the same tunnels
      assertThat(ok.getTunnelsMatchPeerSet())
          .isEqualTo(
              PeerSets.matches(
                  all.forNode(Fleet.encapIp(2)),
                  s.nodeInfo(2).getTunnelsList().stream().map(TunnelPort::getRemoteIp).toList()))
          .isTrue();
      assertThat(ok.getTunnelRemoteIpsList()).isEmpty();
      assertThat(ok.getPodMtu()).isEqualTo(1400);
      NodeSummary other =
          s.summary(2, PeerSets.expected(List.of(Fleet.encapIp(2))).forNode(Fleet.encapIp(2)));
      assertThat(other.getTunnelsMatchPeerSet()).isFalse();
      assertThat(other.getTunnelRemoteIpsList())
          .containsExactly(Fleet.encapIp(1), Fleet.encapIp(3), Fleet.encapIp(4));
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void procStatReadsCpuTicksAfterTheCommand() {
    String line = "42 (java (x) y) S 1 2 3 4 5 6 7 8 9 10 111 222 0 0";
    assertThat(ProcStat.cpuTicks(line)).isEqualTo(333);
  }
}
