package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.agent.AgentContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The agent's own check schedule: jitter, rounds, skips, failures, close, and what is recorded. */
class CheckScheduleTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void delaysAreJitteredWithinTheirBounds() {
    Duration i = Duration.ofMinutes(5);
    assertThat(CheckSchedule.firstDelay(i, 0)).isZero();
    assertThat(CheckSchedule.firstDelay(i, 0.5)).isEqualTo(Duration.ofSeconds(150));
    assertThat(CheckSchedule.firstDelay(i, 1)).isEqualTo(i);
    assertThat(CheckSchedule.jittered(i, 0)).isEqualTo(Duration.ofSeconds(270));
    assertThat(CheckSchedule.jittered(i, 0.5)).isEqualTo(i);
    assertThat(CheckSchedule.jittered(i, 1)).isEqualTo(Duration.ofSeconds(330));
    assertThat(CheckSchedule.jittered(i, 7)).isEqualTo(Duration.ofSeconds(330));
  }

  @Test
  void aNonPositiveIntervalIsRefused() {
    assertThatThrownBy(() -> CheckSchedule.start(Duration.ZERO, Optional::empty, () -> 0, registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }

  @Test
  void roundsRepeatSurviveAFailureAndStopOnClose() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch four = new CountDownLatch(4);
    CheckSchedule s =
        CheckSchedule.start(
            Duration.ofMillis(10),
            () -> {
              int n = calls.incrementAndGet();
              four.countDown();
              if (n == 2) {
                throw new IllegalStateException("ovsdb gone");
              }
              return n == 3
                  ? Optional.empty()
                  : Optional.of(new CheckService.Run(List.of(), Optional.empty()));
            },
            () -> 0.5,
            registry);
    try {
      assertThat(four.await(10, TimeUnit.SECONDS)).as("rounds after a failing one").isTrue();
    } finally {
      s.close();
    }
    int after = calls.get();
    Thread.sleep(100);
    assertThat(calls.get()).as("no round after close").isEqualTo(after);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("check-schedule") && t.isAlive());
    assertThat(rounds("skipped")).isEqualTo(1);
    assertThat(rounds("ran")).isEqualTo(after - 2);
  }

  @Test
  void aScheduledRunUsesTheFactsOfTheLastRunChecks() {
    AtomicReference<ClusterFacts> seen = new AtomicReference<>();
    CheckService service = service(ctx -> seen.set(ctx.cluster()));
    service.runScheduled();
    assertThat(seen.get()).isEqualTo(ClusterFacts.EMPTY);
    ClusterFacts facts =
        new ClusterFacts(List.of(), List.of(), List.of(), "10.96.0.10", Optional.empty());
    service.run(List.of(), facts, false);
    seen.set(null);
    assertThat(service.runScheduled()).isPresent();
    assertThat(seen.get()).isEqualTo(facts);
  }

  @Test
  void aScheduledRunIsSkippedWhileARunChecksRuns() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    CheckService service =
        service(
            ctx -> {
              if (runs.incrementAndGet() == 1) {
                inside.countDown();
                await(release);
              }
            });
    CompletableFuture<CheckService.Run> request =
        CompletableFuture.supplyAsync(() -> service.run(List.of(), ClusterFacts.EMPTY, false));
    try {
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(service.runScheduled()).as("skipped while the request runs").isEmpty();
    } finally {
      release.countDown();
    }
    request.get(10, TimeUnit.SECONDS);
    assertThat(service.runScheduled()).isPresent();
  }

  @Test
  void theSummaryIsOneInfoSeriesPerCheckReplacedWhenItChanges() throws Exception {
    StringBuilder summary = new StringBuilder("ip_forward is 0\non node1");
    Checks checks = new Checks(List.of(fixed("ip-forward", summary)), registry);
    checks.run(List.of(), context());
    assertThat(info())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getId().getTag("summary")).isEqualTo("ip_forward is 0 on node1");
              assertThat(m.getId().getTag("status")).isEqualTo("fail");
            });
    summary.setLength(0);
    summary.append("x".repeat(500));
    checks.run(List.of(), context());
    assertThat(info())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getId().getTag("summary")).hasSize(Checks.INFO_MAX).endsWith("…");
            });
  }

  private List<Meter> info() {
    return registry.getMeters().stream()
        .filter(m -> m.getId().getName().equals("podpath.check.info"))
        .toList();
  }

  private double rounds(String outcome) {
    return registry.get("podpath.check.scheduled.rounds").tag("outcome", outcome).counter().count();
  }

  private CheckService service(Consumer<CheckContext> body) {
    Check c =
        new Check() {
          @Override
          public String id() {
            return "probe";
          }

          @Override
          public CheckResult run(CheckContext ctx) {
            body.accept(ctx);
            return new CheckResult("probe", CheckStatus.OK, "fine", List.of(), "");
          }
        };
    // The fake check touches no port to the node: no agent behind the ports, no pod namespace.
    AgentCheckPorts none =
        new AgentCheckPorts(
            AgentContext.builder("node1", Path.of("/nonexistent")).build(),
            pod -> Optional.empty());
    return new CheckService("node1", new Checks(List.of(c), registry), none, dst -> {});
  }

  private static Check fixed(String id, StringBuilder summary) {
    return new Check() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public CheckResult run(CheckContext ctx) {
        return new CheckResult(id, CheckStatus.FAIL, summary.toString(), List.of(), "");
      }
    };
  }

  private static CheckContext context() {
    return new RecordedNode().context(new CounterMemory());
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
