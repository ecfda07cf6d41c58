package io.podpath.aggregator.trace;

import static io.podpath.aggregator.trace.FakeAgents.toPod;
import static io.podpath.aggregator.trace.FakeAgents.tunnelTo;
import static io.podpath.aggregator.trace.TracePlannerTest.N1;
import static io.podpath.aggregator.trace.TracePlannerTest.N2;
import static io.podpath.aggregator.trace.TracePlannerTest.inventory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.model.IpProtocol;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TraceNodeRequest;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The whole-path parts of planning: the packet's size and DF bit, and node endpoints. */
class WholePathPlannerTest {

  static TraceQuery query(String src, String dst, IpProtocol p, int dstPort, TraceQuery.Sizing s) {
    return TraceQuery.builder(EndpointSpec.parse(src), EndpointSpec.parse(dst), p)
        .dstPort(dstPort)
        .sizing(s)
        .includeConntrackEntries(true)
        .build();
  }

  /** node1 tunnels client-1's packet to node2 with an inner packet that does not echo the size. */
  private static FakeAgents crossNodeWithoutSizeEcho() {
    return new FakeAgents()
        .on(
            "node1",
            r -> {
              if (!r.hasPod()) {
                return toPod("default", "client-1");
              }
              NodeTrace t = tunnelTo(N1, N2, 3).apply(r);
              var o = t.getOutcome().toBuilder();
              o.getTunnelBuilder().getInnerBuilder().clearSize().clearAllowFragmentation();
              return t.toBuilder().setOutcome(o).build();
            })
        .on(
            "node2",
            r -> {
              if (r.hasTunnel()) {
                return toPod("default", "web-2");
              }
              NodeTrace t = tunnelTo(N2, N1, 3).apply(r);
              var o = t.getOutcome().toBuilder();
              o.getTunnelBuilder().getInnerBuilder().clearSize().clearAllowFragmentation();
              return t.toBuilder().setOutcome(o).build();
            });
  }

  @Test
  void sizeAndDontFragmentReachEveryNodeInBothDirections() throws IOException {
    FakeAgents agents = crossNodeWithoutSizeEcho();

    TraceReport report =
        new TracePlanner(inventory(), agents)
            .trace(
                query(
                    "default/client-1",
                    "default/web-2",
                    IpProtocol.UDP,
                    53,
                    new TraceQuery.Sizing(1400, false)));

    assertThat(report.endpoints().get(0).forward().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(report.endpoints().get(0).reply().orElseThrow().verdict())
        .isEqualTo(Verdict.DELIVERED);
    // client-1 and web-2's first hops, and each tunnel ingress after them.
    assertThat(agents.calls).hasSize(4);
    for (FakeAgents.Call c : agents.calls) {
      assertThat(c.request().getPacket().getSize()).as(c.node()).isEqualTo(1400);
      assertThat(c.request().getPacket().getAllowFragmentation()).as(c.node()).isFalse();
      assertThat(c.request().getIncludeConntrackEntries()).as(c.node()).isTrue();
    }
  }

  @Test
  void noDfIsCarriedAfterTheTunnelToo() throws IOException {
    FakeAgents agents = crossNodeWithoutSizeEcho();

    new TracePlanner(inventory(), agents)
        .trace(
            query(
                "default/client-1",
                "default/web-2",
                IpProtocol.ICMP,
                0,
                new TraceQuery.Sizing(3000, true)));

    TraceNodeRequest afterTunnel = agents.requests("node2", TraceNodeRequest::hasTunnel).get(0);
    assertThat(afterTunnel.getPacket().getSize()).isEqualTo(3000);
    assertThat(afterTunnel.getPacket().getAllowFragmentation()).isTrue();
  }

  @Test
  void aNodePortDestinationIsSentToTheNodesInternalIp() throws IOException {
    SnapshotInventory inv = inventory();
    FakeAgents agents = FakeAgents.cluster(inv);
    String node2 = inv.node("node2").orElseThrow().internalIp();

    TraceReport report =
        new TracePlanner(inv, agents)
            .trace(
                query(
                    "default/client-1",
                    "node/node2:30080",
                    IpProtocol.TCP,
                    0,
                    TraceQuery.Sizing.DEFAULT));

    EndpointResult ep = report.endpoints().get(0);
    assertThat(ep.label()).isEqualTo("node/node2:30080 " + node2 + ":30080");
    TraceNodeRequest first = agents.calls.get(0).request();
    assertThat(first.getPod().getName()).isEqualTo("client-1");
    assertThat(first.getPacket().getDstIp()).isEqualTo(node2);
    assertThat(first.getPacket().getDstPort()).isEqualTo(30080);
  }

  @Test
  void aNodePortContradictingDstPortIsRefused() throws IOException {
    assertThatThrownBy(
            () ->
                new TracePlanner(inventory(), FakeAgents.cluster(inventory()))
                    .trace(
                        query(
                            "default/client-1",
                            "node/node2:30080",
                            IpProtocol.TCP,
                            80,
                            TraceQuery.Sizing.DEFAULT)))
        .isInstanceOf(TraceException.class)
        .hasMessage("dst_port 80 contradicts the NodePort in destination node/node2:30080");
  }

  @Test
  void unknownNodesAreNotFoundAndANodeSourceNeedsItsAgent() throws IOException {
    TracePlanner planner = new TracePlanner(inventory(), new FakeAgents());
    assertThatThrownBy(
            () ->
                planner.trace(
                    query(
                        "default/client-1",
                        "node/node9",
                        IpProtocol.TCP,
                        22,
                        TraceQuery.Sizing.DEFAULT)))
        .isInstanceOf(TraceException.class)
        .hasMessage("destination node node9 not found");
    assertThatThrownBy(
            () ->
                planner.trace(
                    query(
                        "node/node1",
                        "default/web-2",
                        IpProtocol.TCP,
                        80,
                        TraceQuery.Sizing.DEFAULT)))
        .isInstanceOf(TraceException.class)
        .satisfies(
            e ->
                assertThat(((TraceException) e).kind())
                    .isEqualTo(TraceException.Kind.FAILED_PRECONDITION))
        .hasMessageContaining("no agent known for the source node node1");
  }
}
