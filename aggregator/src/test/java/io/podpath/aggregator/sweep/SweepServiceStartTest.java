package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code status} has an answer seconds after start-up (the first sweep is not one interval away),
 * and a narrowed sweep never replaces the last full one.
 */
class SweepServiceStartTest {
  @Test
  void theFirstSweepRunsAtStartUpAndNarrowedOnesDoNotReplaceIt() throws Exception {
    try (SweepService s =
        new SweepService(
            new SweepRunner(
                SweepRunnerTest.inventory(),
                new SweepRunnerTest.Agents(),
                new ClusterContexts(ClusterContexts.DEFAULT_DNS_SERVICES),
                4,
                Duration.ofMillis(800)),
            Optional.empty(),
            new SweepMetrics(new SimpleMeterRegistry()))) {
      assertThat(s.last()).isEmpty();
      s.start(Duration.ofHours(1), 0);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (s.last().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(s.last()).as("a full sweep within seconds of start, not after 1 h").isPresent();
      int fullNodes = s.last().orElseThrow().nodes().size();
      assertThat(fullNodes).isEqualTo(4);
      s.sweep(List.of("n1"), List.of(), u -> {});
      assertThat(s.last().orElseThrow().nodes().size()).isEqualTo(fullNodes);
    }
  }
}
