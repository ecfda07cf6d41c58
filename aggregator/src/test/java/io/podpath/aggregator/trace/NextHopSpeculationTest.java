package io.podpath.aggregator.trace;

import static io.podpath.aggregator.trace.FakeAgents.toPod;
import static io.podpath.aggregator.trace.FakeAgents.tunnelTo;
import static io.podpath.aggregator.trace.TracePlannerTest.N1;
import static io.podpath.aggregator.trace.TracePlannerTest.N2;
import static io.podpath.aggregator.trace.TracePlannerTest.inventory;
import static io.podpath.aggregator.trace.TracePlannerTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.IpProtocol;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.TraceNodeRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The second trace of the same request starts each direction's next hop beside its first, and gives
 * the answer calling them one after the other gives: hit, miss, cancellation, deadline.
 */
class NextHopSpeculationTest {
  private final AtomicLong node1Vni = new AtomicLong(3);

  /** Every call with the scope it came with. */
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  private record Seen(String node, NodeQuery query, CallScope scope) {}

  private NodeTrace node1(TraceNodeRequest r) {
    return r.hasPod() ? tunnelTo(N1, N2, node1Vni.get()).apply(r) : toPod("default", "client-1");
  }

  private static NodeTrace node2(TraceNodeRequest r) {
    return r.hasPod() ? tunnelTo(N2, N1, 4).apply(r) : toPod("default", "web-2");
  }

  /** FakeAgents, plus what each call's scope was, plus an optional hook before answering. */
  private final class Agents implements AgentClient {
    final FakeAgents fake =
        new FakeAgents().on("node1", NextHopSpeculationTest.this::node1).on("node2", r -> node2(r));
    volatile Function<Seen, Void> before = s -> null;

    @Override
    public NodeInfo getNode(String node) {
      return fake.getNode(node);
    }

    @Override
    public PodInspection inspectPod(String node, InspectPodRequest request) {
      return fake.inspectPod(node, request);
    }

    @Override
    public NodeAnswer traceNode(String node, NodeQuery query, CallScope scope) {
      Seen s = new Seen(node, query, scope);
      seen.add(s);
      before.apply(s);
      // as the gRPC client does: a cancelled scope ends the call
      if (scope.stopped().isPresent()) {
        throw new AgentException(AgentException.Kind.CANCELLED, node, scope.stopped().get());
      }
      return fake.traceNode(node, query, scope);
    }
  }

  private static TraceQuery webQuery() {
    return query("default/client-1", "default/web-2", IpProtocol.TCP, 80);
  }

  private static boolean fromTunnel(Seen s) {
    return s.query().ingress() instanceof NodeQuery.FromTunnel;
  }

  private static void await(CountDownLatch l, String what) {
    try {
      if (!l.await(5, TimeUnit.SECONDS)) {
        throw new AgentException(AgentException.Kind.TIMEOUT, "test", what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(AgentException.Kind.CANCELLED, "test", what);
    }
  }

  @Test
  void aRepeatedTraceAsksTheNextHopBesideTheFirstAndGetsTheSameResult() throws Exception {
    Agents agents = new Agents();
    TracePlanner planner = new TracePlanner(inventory(), agents);
    TraceReport first = planner.trace(webQuery());
    assertThat(planner.speculationHits()).isZero();

    // The forward's first hop answers only once node2's hop of the same direction is in flight:
    // called one after the other, it would wait for ever.
    CountDownLatch secondHop = new CountDownLatch(1);
    agents.before =
        s -> {
          if (fromTunnel(s) && s.node().equals("node2")) {
            secondHop.countDown();
          }
          if (!fromTunnel(s) && s.node().equals("node1")) {
            await(secondHop, "node2's hop did not start beside node1's");
          }
          return null;
        };
    seen.clear();
    TraceReport second = planner.trace(webQuery());

    assertThat(second).isEqualTo(first);
    assertThat(second.endpoints().get(0).forward().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(planner.speculationHits()).isEqualTo(2);
    assertThat(planner.speculationMisses()).isZero();
    assertThat(seen).hasSize(4); // no call twice
  }

  @Test
  void aDifferentNextRequestIsAskedForRealAndTheGuessIsCancelled() throws Exception {
    Agents agents = new Agents();
    TracePlanner planner = new TracePlanner(inventory(), agents);
    planner.trace(webQuery());

    // node1 now tunnels with another VNI: the remembered node2 request is stale. It blocks until
    // it is cancelled, so the trace ends only if nothing waits for it.
    node1Vni.set(7);
    CountDownLatch staleCancelled = new CountDownLatch(1);
    agents.before =
        s -> {
          if (fromTunnel(s) && ((NodeQuery.FromTunnel) s.query().ingress()).tunId() == 3) {
            while (s.scope().stopped().isEmpty()) {
              Thread.onSpinWait();
            }
            staleCancelled.countDown();
          }
          return null;
        };
    seen.clear();
    TraceReport second = planner.trace(webQuery());

    // the real request was made too, once
    assertThat(
            seen.stream()
                .filter(NextHopSpeculationTest::fromTunnel)
                .filter(x -> ((NodeQuery.FromTunnel) x.query().ingress()).tunId() == 7)
                .count())
        .isEqualTo(1);
    assertThat(staleCancelled.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(planner.speculationHits()).isEqualTo(1); // the reply's guess still held
    assertThat(planner.speculationMisses()).isEqualTo(1);
    TraceReport sequential = new TracePlanner(inventory(), agents, Runnable::run).trace(webQuery());
    assertThat(second).isEqualTo(sequential);
  }

  @Test
  void theGuessHasTheCallersDeadlineAndEndsWithItsCancellation() throws Exception {
    Agents agents = new Agents();
    TracePlanner planner = new TracePlanner(inventory(), agents);
    planner.trace(webQuery());

    CallScope scope = CallScope.within(Duration.ofSeconds(30));
    CountDownLatch guessCancelled = new CountDownLatch(1);
    agents.before =
        s -> {
          if (fromTunnel(s) && s.node().equals("node2")) {
            assertThat(s.scope().remaining())
                .isBetween(Duration.ofSeconds(20), Duration.ofSeconds(30));
            scope.cancel("the caller gave up");
            while (s.scope().stopped().isEmpty()) {
              Thread.onSpinWait();
            }
            guessCancelled.countDown();
            throw new AgentException(AgentException.Kind.CANCELLED, "node2", "cancelled");
          }
          if (!fromTunnel(s) && s.node().equals("node1")) {
            await(guessCancelled, "the guess was not cancelled with the caller");
          }
          return null;
        };
    assertThatThrownBy(() -> planner.trace(webQuery(), scope))
        .isInstanceOf(TraceException.class)
        .extracting(e -> ((TraceException) e).kind())
        .isEqualTo(TraceException.Kind.CANCELLED);
    assertThat(guessCancelled.getCount()).isZero();
  }

  @Test
  void withoutSpeculationEachHopWaitsForTheOneBefore() throws Exception {
    Agents agents = new Agents();
    TracePlanner planner = new TracePlanner(inventory(), agents);
    planner.trace(webQuery());
    planner.trace(webQuery());
    long hits = planner.speculationHits();
    assertThat(hits).isEqualTo(2);

    // node1's first hop waits a while for node2's hop: it must not come (a live trace makes only
    // the calls the sequential trace makes, when it makes them).
    CountDownLatch secondHop = new CountDownLatch(1);
    List<Boolean> cameEarly = new CopyOnWriteArrayList<>();
    agents.before =
        s -> {
          if (fromTunnel(s) && s.node().equals("node2")) {
            secondHop.countDown();
          }
          if (!fromTunnel(s) && s.node().equals("node1")) {
            try {
              cameEarly.add(secondHop.await(300, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return null;
        };
    seen.clear();
    planner.trace(webQuery(), CallScope.unbounded(), false);

    assertThat(cameEarly).containsExactly(false);
    assertThat(planner.speculationHits()).isEqualTo(hits);
    assertThat(planner.speculationMisses()).isZero();
    assertThat(seen).hasSize(4);
  }
}
