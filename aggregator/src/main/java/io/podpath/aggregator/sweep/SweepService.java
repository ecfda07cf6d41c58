package io.podpath.aggregator.sweep;

import io.podpath.aggregator.alert.AlertKey;
import io.podpath.aggregator.alert.Alerting;
import io.podpath.aggregator.alert.Observation;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweeps periodically (interval ± jitter) and on demand, one at a time (agents judge counters
 * "rising between sweeps", so sweeps must not overlap); keeps the last result in memory, exports it
 * as metrics and feeds the alert engine.
 */
public final class SweepService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SweepService.class);
  private final SweepRunner runner;
  private final Optional<Alerting> alerting;
  private final SweepMetrics metrics;
  private final AtomicReference<SweepReport> last = new AtomicReference<>();
  private final ReentrantLock oneAtATime = new ReentrantLock();
  private final AtomicBoolean alertOwner = new AtomicBoolean(true);
  private @Nullable ScheduledExecutorService scheduler;

  public SweepService(SweepRunner runner, Optional<Alerting> alerting, SweepMetrics metrics) {
    this.runner = runner;
    this.alerting = alerting;
    this.metrics = metrics;
  }

  /** Starts periodic sweeps: each waits {@code interval} ± {@code jitter} (0..1) after the last. */
  public synchronized void start(Duration interval, double jitter) {
    if (scheduler != null) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sweep-scheduler");
              t.setDaemon(true);
              return t;
            });
    // The first sweep runs at start-up, so `podpath status` and the alerts have a result within
    // seconds rather than one interval later.
    schedule(0, interval, jitter);
  }

  /** Stops periodic sweeps (e.g. when this replica loses leadership); {@link #start} resumes. */
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  /**
   * Whether this replica's sweeps feed alerting (true by default). With leader election only the
   * Lease holder's do: a non-leader's on-demand sweep must write no Node condition or Event, or two
   * replicas would fight over them with different alert state.
   */
  public void alertOwner(boolean owner) {
    alertOwner.set(owner);
  }

  static long delayMillis(Duration interval, double jitter) {
    double f = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter;
    return Math.max(1, Math.round(interval.toMillis() * f));
  }

  private void scheduleNext(Duration interval, double jitter) {
    schedule(delayMillis(interval, jitter), interval, jitter);
  }

  private synchronized void schedule(long delayMillis, Duration interval, double jitter) {
    if (scheduler == null) {
      return; // stopped meanwhile
    }
    // The task catches its own failures and schedules the next run; no one waits on it.
    var unused =
        scheduler.schedule(
            () -> {
              try {
                sweep(List.of(), List.of(), u -> {});
              } catch (RuntimeException e) {
                LOG.warn("periodic sweep failed: {}", e.toString());
              } finally {
                scheduleNext(interval, jitter);
              }
            },
            delayMillis,
            TimeUnit.MILLISECONDS);
  }

  /** Runs one sweep now (waiting for a running one to finish first). */
  public SweepReport sweep(
      List<String> nodes, List<String> checkIds, Consumer<SweepProgress> progress) {
    return sweep(nodes, checkIds, progress, CallScope.unbounded());
  }

  /**
   * Runs one sweep within its caller's {@code scope}, waiting for a running one to finish first; a
   * caller that gives up, waiting or sweeping, stops there and frees the sweep slot at once.
   */
  public SweepReport sweep(
      List<String> nodes,
      List<String> checkIds,
      Consumer<SweepProgress> progress,
      CallScope scope) {
    try {
      while (!oneAtATime.tryLock(50, TimeUnit.MILLISECONDS)) {
        if (scope.stopped().isPresent()) {
          throw SweepErrors.stopped(scope);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SweepCancelledException("interrupted while waiting for the running sweep", false);
    }
    try {
      SweepReport r = runner.run(nodes, checkIds, progress, scope);
      metrics.record(r);
      if (nodes.isEmpty() && checkIds.isEmpty()) {
        // Only a full sweep is the cluster's state: a narrowed one (--node/--check) must not
        // replace what `status` shows. Alerting sees only the (node, check) pairs it observed.
        last.set(r);
      }
      if (alertOwner.get()) {
        alerting.ifPresent(a -> a.onSweep(observations(r), r.finishedAt()));
      }
      return r;
    } finally {
      oneAtATime.unlock();
    }
  }

  /** The last full (not narrowed) sweep's result. */
  public Optional<SweepReport> last() {
    return Optional.ofNullable(last.get());
  }

  /** Every node check, the agent's reachability, and the cluster checks as alert observations. */
  static List<Observation> observations(SweepReport r) {
    List<Observation> out = new ArrayList<>();
    for (NodeResult n : r.nodes()) {
      boolean reachedAgent = n.error().isEmpty();
      if (reachedAgent) {
        out.add(
            new Observation(
                new AlertKey(n.node(), SweepRunner.AGENT_CHECK), "OK", "agent answered", ""));
      }
      for (Check c : n.checks()) {
        out.add(observation(n.node(), c));
      }
    }
    r.clusterChecks().forEach(c -> out.add(observation(SweepMetrics.CLUSTER_NODE, c)));
    return out;
  }

  /** The alert's status is the check's, upper case ("NOT_APPLICABLE"). */
  private static Observation observation(String node, Check c) {
    return new Observation(
        new AlertKey(node, c.id()), c.status().name(), c.summary(), c.remediation());
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    runner.close();
    alerting.ifPresent(Alerting::close);
  }
}
