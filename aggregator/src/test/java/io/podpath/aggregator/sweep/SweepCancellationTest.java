package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.RunChecksRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * #22 "a sweep outlives its caller": a 4,000-node sweep whose caller gives up mid-way stops at once
 * — the agent calls in flight are cancelled, queued nodes are never called, the sweep slot is
 * released — and the next sweep runs within a second.
 */
class SweepCancellationTest {
  static final java.util.concurrent.ScheduledExecutorService TIMER =
      Executors.newScheduledThreadPool(2);

  @org.junit.jupiter.api.AfterAll
  static void stopTimer() {
    TIMER.shutdownNow();
  }

  /**
   * Agents that answer after {@code delayMillis}, or fail CANCELLED when the scope is cancelled.
   */
  static final class SlowFleet implements AgentClient {
    volatile long delayMillis = 2000;
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();

    @Override
    public CompletableFuture<CheckReport> runChecksAsync(
        String node, RunChecksRequest request, Duration deadline, CallScope scope) {
      started.incrementAndGet();
      CompletableFuture<CheckReport> f = new CompletableFuture<>();
      Runnable unlisten =
          scope.onCancel(
              () -> {
                if (f.completeExceptionally(
                    new AgentException(AgentException.Kind.CANCELLED, node, "cancelled"))) {
                  cancelled.incrementAndGet();
                }
              });
      var unused =
          TIMER.schedule(
              () -> {
                unlisten.run();
                if (f.complete(
                    CheckReport.newBuilder()
                        .setNode(node)
                        .addResults(
                            CheckResult.newBuilder()
                                .setId("ip-forward")
                                .setStatus(CheckStatus.CHECK_STATUS_OK))
                        .build())) {
                  answered.incrementAndGet();
                }
              },
              delayMillis,
              TimeUnit.MILLISECONDS);
      return f;
    }

    @Override
    public CompletableFuture<CheckReport> runChecksAsync(
        String node, RunChecksRequest request, Duration deadline) {
      return runChecksAsync(node, request, deadline, CallScope.unbounded());
    }

    @Override
    public NodeInfo getNode(String node) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PodInspection inspectPod(String node, InspectPodRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public NodeAnswer traceNode(String node, NodeQuery query, CallScope scope) {
      throw new UnsupportedOperationException();
    }
  }

  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    callers.shutdownNow();
  }

  @Test
  void aSweepCancelledByItsCallerStopsAtOnceAndTheNextOneRuns() throws Exception {
    SlowFleet fleet = new SlowFleet();
    SweepRunner runner =
        new SweepRunner(
            SweepRunnerScaleTest.inventory(4000),
            fleet,
            new ClusterContexts(ClusterContexts.DEFAULT_DNS_SERVICES),
            32,
            Duration.ofSeconds(30));
    SweepService service =
        new SweepService(runner, Optional.empty(), new SweepMetrics(new SimpleMeterRegistry()));
    // 4000 nodes, 32 at a time, 2 s each: about 250 s if nothing stops it
    CallScope first = CallScope.within(Duration.ofMinutes(10));
    Future<SweepReport> big =
        callers.submit(() -> service.sweep(List.of(), List.of("ip-forward"), u -> {}, first));
    while (fleet.started.get() < 32) {
      Thread.sleep(10);
    }
    Thread.sleep(300);
    first.cancel("the caller cancelled");
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> big.get(1, TimeUnit.SECONDS))
        .hasCauseInstanceOf(SweepCancelledException.class)
        .hasMessageContaining("the caller cancelled");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    int startedAtCancel = fleet.started.get();
    assertThat(startedAtCancel).as("queued nodes were not called").isEqualTo(32);
    assertThat(fleet.cancelled.get()).as("calls in flight were cancelled").isEqualTo(32);

    // the next sweep gets the slot and finishes within a second
    fleet.delayMillis = 10;
    long t1 = System.nanoTime();
    SweepReport next =
        callers
            .submit(
                () ->
                    service.sweep(
                        List.of("n0001", "n0002"),
                        List.of("ip-forward"),
                        u -> {},
                        CallScope.within(Duration.ofSeconds(5))))
            .get(1, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(1));
    assertThat(next.nodes()).hasSize(2);
    Thread.sleep(100);
    assertThat(fleet.started.get()).as("nothing more of the cancelled sweep").isEqualTo(34);
  }

  @Test
  void aSweepWaitingForTheSlotGivesUpWithItsCaller() throws Exception {
    SlowFleet fleet = new SlowFleet();
    SweepService service =
        new SweepService(
            new SweepRunner(
                SweepRunnerScaleTest.inventory(200),
                fleet,
                new ClusterContexts(ClusterContexts.DEFAULT_DNS_SERVICES),
                8,
                Duration.ofSeconds(30)),
            Optional.empty(),
            new SweepMetrics(new SimpleMeterRegistry()));
    CallScope running = CallScope.within(Duration.ofMinutes(1));
    Future<SweepReport> first =
        callers.submit(() -> service.sweep(List.of(), List.of("ip-forward"), u -> {}, running));
    while (fleet.started.get() < 8) {
      Thread.sleep(10);
    }
    CallScope waiting = CallScope.within(Duration.ofMillis(300));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> service.sweep(List.of(), List.of("ip-forward"), u -> {}, waiting))
        .isInstanceOf(SweepCancelledException.class)
        .hasMessageContaining("deadline")
        .satisfies(e -> assertThat(((SweepCancelledException) e).deadline()).isTrue());
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    running.cancel("test over");
    assertThatThrownBy(() -> first.get(1, TimeUnit.SECONDS))
        .hasCauseInstanceOf(SweepCancelledException.class);
  }
}
