package io.podpath.aggregator.trace;

import static io.podpath.aggregator.trace.FakeAgents.toPod;
import static io.podpath.aggregator.trace.FakeAgents.tunnelTo;
import static io.podpath.aggregator.trace.TracePlannerTest.N1;
import static io.podpath.aggregator.trace.TracePlannerTest.N2;
import static io.podpath.aggregator.trace.TracePlannerTest.inventory;
import static io.podpath.aggregator.trace.TracePlannerTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.model.IpProtocol;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TraceNodeRequest;
import java.io.IOException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * ACI-style tunnels: the agent marks a tunnel to the fabric's VTEP ({@code via_fabric}); the
 * stitcher continues at the node holding the inner destination, as arriving from that VTEP.
 */
class FabricHopTest {
  private static final String VTEP = "192.0.2.3";

  private static Function<TraceNodeRequest, NodeTrace> toFabric(long vni) {
    return r -> {
      NodeTrace t = tunnelTo(N1, VTEP, vni).apply(r);
      return t.toBuilder()
          .setOutcome(
              t.getOutcome().toBuilder()
                  .setTunnel(t.getOutcome().getTunnel().toBuilder().setViaFabric(true)))
          .build();
    };
  }

  @Test
  void aTunnelToTheFabricContinuesAtTheInnerDestinationsNode() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r -> r.hasPod() ? toFabric(8290304).apply(r) : toPod("default", "client-1"))
            .on("node2", r -> r.hasPod() ? toFabric(8290304).apply(r) : toPod("default", "web-2"));

    EndpointResult ep =
        new TracePlanner(inventory(), agents)
            .trace(query("default/client-1", "default/web-2", IpProtocol.TCP, 80))
            .endpoints()
            .get(0);

    assertThat(ep.forward().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(ep.forward().hops()).extracting(Hop::node).containsExactly("node1", "node2");
    TraceNodeRequest at2 = agents.requests("node2", TraceNodeRequest::hasTunnel).get(0);
    assertThat(at2.getTunnel().getTunSrc()).isEqualTo(VTEP);
    assertThat(at2.getTunnel().getTunDst()).isEqualTo(N2);
    assertThat(at2.getTunnel().getTunId()).isEqualTo(8290304);
    assertThat(ep.forward().notes()).anyMatch(n -> n.contains("the fabric's VTEP"));
  }

  @Test
  void anOutsideDestinationHandedToTheFabricLeavesTheCluster() throws IOException {
    FakeAgents agents = new FakeAgents().on("node1", r -> toFabric(8290304).apply(r));

    DirectionResult f =
        new TracePlanner(inventory(), agents)
            .trace(query("default/client-1", "ip:198.51.100.9", IpProtocol.TCP, 80))
            .endpoints()
            .get(0)
            .forward();

    assertThat(f.verdict()).isEqualTo(Verdict.LEFT_CLUSTER);
    assertThat(((DirectionResult.LeftCluster) f).via())
        .isEqualTo("node1 via tunnel ovn-" + VTEP + " to the fabric's VTEP " + VTEP);
  }
}
