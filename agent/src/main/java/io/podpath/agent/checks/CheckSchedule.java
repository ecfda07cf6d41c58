package io.podpath.agent.checks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's checks on the agent's own schedule ({@code --check-interval}): each round runs every
 * check and records it in the agent's metrics exactly as a RunChecks does, so Prometheus watches a
 * cluster of any size with no aggregator sweeping it. Rounds are jittered (the first within one
 * interval of start, then every interval ±10%) so a DaemonSet's agents, started together, do not
 * run iptables-save and ovs-appctl in step. One thread, created here, before the caller enters any
 * namespace.
 */
public final class CheckSchedule implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckSchedule.class);
  static final double JITTER = 0.1;

  private final ScheduledExecutorService timer;
  private final Duration interval;
  private final Supplier<Optional<CheckService.Run>> round;
  private final DoubleSupplier random;
  private final Counter ran;
  private final Counter skipped;

  private CheckSchedule(
      Duration interval,
      Supplier<Optional<CheckService.Run>> round,
      DoubleSupplier random,
      MeterRegistry registry) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("check interval must be positive: " + interval);
    }
    this.interval = interval;
    this.round = round;
    this.random = random;
    this.ran = rounds(registry, "ran");
    this.skipped = rounds(registry, "skipped");
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "check-schedule");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts rounds of {@code service}'s scheduled run every {@code interval}, jittered. */
  public static CheckSchedule start(
      Duration interval, CheckService service, MeterRegistry registry) {
    return start(
        interval, service::runScheduled, () -> ThreadLocalRandom.current().nextDouble(), registry);
  }

  static CheckSchedule start(
      Duration interval,
      Supplier<Optional<CheckService.Run>> round,
      DoubleSupplier random,
      MeterRegistry registry) {
    CheckSchedule s = new CheckSchedule(interval, round, random, registry);
    s.next(firstDelay(interval, random.getAsDouble()));
    return s;
  }

  /** The first round: anywhere in the first interval, so agents started together spread out. */
  static Duration firstDelay(Duration interval, double u) {
    return Duration.ofNanos((long) (interval.toNanos() * clamp(u)));
  }

  /** The gap before each later round: the interval ±{@link #JITTER}. */
  static Duration jittered(Duration interval, double u) {
    return Duration.ofNanos((long) (interval.toNanos() * (1 - JITTER + 2 * JITTER * clamp(u))));
  }

  private static double clamp(double u) {
    return Math.min(Math.max(u, 0), 1);
  }

  private void next(Duration delay) {
    try {
      // runRound logs its own failures and schedules the next round: nothing to wait for here
      Future<?> unused = timer.schedule(this::runRound, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile: no more rounds
    }
  }

  private void runRound() {
    try {
      if (round.get().isPresent()) {
        ran.increment();
      } else {
        skipped.increment();
      }
    } catch (RuntimeException e) {
      // A round that cannot run (OVSDB gone, say) must not end the schedule; the next one retries.
      LOG.warn("scheduled checks failed: {}", e.toString());
    } finally {
      if (!Thread.currentThread().isInterrupted()) {
        next(jittered(interval, random.getAsDouble()));
      }
    }
  }

  /** Public for the fleet simulator (module bench), which counts its replayed rounds here. */
  public static Counter rounds(MeterRegistry registry, String outcome) {
    return Counter.builder("podpath.check.scheduled.rounds")
        .description(
            "Rounds of the agent's own check schedule: ran, or skipped because a RunChecks was"
                + " running (it records the same series)")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Stops the schedule; a round in progress is interrupted (its commands are killed). */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("a scheduled check round did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
