package io.podpath.aggregator.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.model.IpProtocol;
import io.podpath.proto.v1.DropInfo;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TunnelPort;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A flow drop toward a pod on another node names the missing tunnel when the node has none. */
class MissingTunnelTest {
  static FakeAgents droppingOnNode1() {
    return new FakeAgents()
        .on(
            "node1",
            r ->
                FakeAgents.outcome(
                    TraceOutcome.newBuilder()
                        .setKind(TraceOutcome.Kind.KIND_DROPPED)
                        .setSummary("dropped in table 40")
                        .setDrop(DropInfo.newBuilder().setTable(40))));
  }

  static DirectionResult forward(FakeAgents agents) throws IOException {
    return new TracePlanner(TracePlannerTest.inventory(), agents)
        .trace(TracePlannerTest.query("default/client-1", "default/web-2", IpProtocol.ICMP, 0))
        .endpoints()
        .get(0)
        .forward();
  }

  static NodeInfo node1With(String... remotes) {
    NodeInfo.Builder b = NodeInfo.newBuilder().setNodeName("node1").setEncapType("geneve");
    for (String r : remotes) {
      b.addTunnels(TunnelPort.newBuilder().setName("ovn-x").setType("geneve").setRemoteIp(r));
    }
    return b.build();
  }

  @Test
  void noTunnelToTheDestinationsNodeIsNamed() throws IOException {
    DirectionResult fwd = forward(droppingOnNode1().nodeInfo("node1", node1With("172.31.6.13")));
    assertThat(fwd.verdict()).isEqualTo(Verdict.DROPPED);
    assertThat(fwd.summary())
        .endsWith("dropped on node1: no geneve tunnel from node1 to node2 (172.31.6.12)");
  }

  @Test
  void aTunnelThatExistsLeavesTheTableDrop() throws IOException {
    DirectionResult fwd =
        forward(droppingOnNode1().nodeInfo("node1", node1With("172.31.6.12", "172.31.6.13")));
    assertThat(fwd.summary()).contains("in table 40").doesNotContain("tunnel");
  }

  @Test
  void aPerFlowTunnelReachesEveryPeer() throws IOException {
    DirectionResult fwd = forward(droppingOnNode1().nodeInfo("node1", node1With("flow")));
    assertThat(fwd.summary()).contains("in table 40").doesNotContain("tunnel");
  }

  @Test
  void anAgentThatCannotSayLeavesTheDropAsItWas() throws IOException {
    DirectionResult fwd = forward(droppingOnNode1());
    assertThat(fwd.verdict()).isEqualTo(Verdict.DROPPED);
    assertThat(fwd.summary()).contains("in table 40");
  }
}
