package io.podpath.aggregator.trace;

import static io.podpath.aggregator.trace.FakeAgents.toPod;
import static io.podpath.aggregator.trace.FakeAgents.tunnelTo;
import static io.podpath.aggregator.trace.TracePlannerTest.N1;
import static io.podpath.aggregator.trace.TracePlannerTest.N2;
import static io.podpath.aggregator.trace.TracePlannerTest.inventory;
import static io.podpath.aggregator.trace.TracePlannerTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.model.IpProtocol;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TraceNodeRequest;
import java.io.IOException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Forward and reply run at the same time, come back in a fixed order, and fail independently. */
class TracePlannerConcurrencyTest {
  private static NodeTrace node1(TraceNodeRequest r) {
    return r.hasPod() ? tunnelTo(N1, N2, 3).apply(r) : toPod("default", "client-1");
  }

  private static NodeTrace node2(TraceNodeRequest r) {
    return r.hasPod() ? tunnelTo(N2, N1, 4).apply(r) : toPod("default", "web-2");
  }

  /** Blocks the first hop of each direction until the other direction's first hop is in flight. */
  private static Function<TraceNodeRequest, NodeTrace> meetAt(
      CyclicBarrier both, Function<TraceNodeRequest, NodeTrace> answer) {
    return r -> {
      if (r.hasPod()) {
        try {
          both.await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new AgentException(
              AgentException.Kind.TIMEOUT, "test", "the other direction did not start: " + e);
        }
      }
      return answer.apply(r);
    };
  }

  @Test
  void forwardAndReplyFirstHopsAreInFlightTogether() throws IOException {
    CyclicBarrier both = new CyclicBarrier(2);
    FakeAgents agents =
        new FakeAgents()
            .on("node1", meetAt(both, TracePlannerConcurrencyTest::node1))
            .on("node2", meetAt(both, TracePlannerConcurrencyTest::node2));

    EndpointResult ep =
        new TracePlanner(inventory(), agents)
            .trace(query("default/client-1", "default/web-2", IpProtocol.TCP, 80))
            .endpoints()
            .get(0);

    // Traced one after the other, the first hop would wait for a second that never comes.
    assertThat(ep.forward().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(ep.forward().hops()).extracting(Hop::node).containsExactly("node1", "node2");
    assertThat(ep.reply().orElseThrow().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(ep.reply().orElseThrow().hops())
        .extracting(Hop::node)
        .containsExactly("node2", "node1");
    assertThat(agents.calls).hasSize(4);
  }

  @Test
  void aSequentialExecutorKeepsTheOldCallOrder() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on("node1", TracePlannerConcurrencyTest::node1)
            .on("node2", TracePlannerConcurrencyTest::node2);

    new TracePlanner(inventory(), agents, Runnable::run)
        .trace(query("default/client-1", "default/web-2", IpProtocol.TCP, 80));

    assertThat(agents.calls)
        .extracting(c -> c.node() + (c.request().hasPod() ? " pod" : " tunnel"))
        .containsExactly("node1 pod", "node2 tunnel", "node2 pod", "node1 tunnel");
  }

  @Test
  void aFailingReplyKeepsTheForward() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on("node1", TracePlannerConcurrencyTest::node1)
            .on(
                "node2",
                r -> {
                  if (r.hasPod()) {
                    throw new IllegalStateException("agent answer could not be read");
                  }
                  return node2(r);
                });

    EndpointResult ep =
        new TracePlanner(inventory(), agents)
            .trace(query("default/client-1", "default/web-2", IpProtocol.TCP, 80))
            .endpoints()
            .get(0);

    assertThat(ep.forward().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(ep.forward().hops()).extracting(Hop::node).containsExactly("node1", "node2");
    DirectionResult reply = ep.reply().orElseThrow();
    assertThat(reply.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(Results.reason(reply)).contains("agent answer could not be read");
    assertThat(reply.packet().srcIp()).isEqualTo("10.244.2.3");
  }

  @Test
  void aFailingForwardKeepsTheReply() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r -> {
                  if (r.hasPod()) {
                    throw new IllegalStateException("forward broke");
                  }
                  return node1(r);
                })
            .on("node2", TracePlannerConcurrencyTest::node2);

    EndpointResult ep =
        new TracePlanner(inventory(), agents)
            .trace(query("default/client-1", "default/web-2", IpProtocol.TCP, 80))
            .endpoints()
            .get(0);

    assertThat(ep.forward().verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(Results.reason(ep.forward())).contains("forward broke");
    assertThat(ep.reply().orElseThrow().verdict()).isEqualTo(Verdict.DELIVERED);
  }

  @Test
  void aMissingSourceAgentIsStillTheCallersError() throws IOException {
    FakeAgents agents = new FakeAgents().on("node2", TracePlannerConcurrencyTest::node2);

    assertThatThrownBy(
            () ->
                new TracePlanner(inventory(), agents)
                    .trace(query("default/client-1", "default/web-2", IpProtocol.TCP, 80)))
        .isInstanceOf(TraceException.class)
        .hasMessageContaining("no agent known for the source node node1");
  }

  @Test
  void endpointsOfAServiceComeBackInTheirOrder() throws IOException {
    FakeAgents agents = FakeAgents.cluster(inventory());
    TracePlanner planner = new TracePlanner(inventory(), agents);
    TraceReport first =
        planner.trace(query("default/client-1", "svc/default/web", IpProtocol.TCP, 80));
    for (int i = 0; i < 20; i++) {
      TraceReport again =
          planner.trace(query("default/client-1", "svc/default/web", IpProtocol.TCP, 80));
      assertThat(again).isEqualTo(first);
    }
    assertThat(first.endpoints()).hasSizeGreaterThan(1);
  }
}
