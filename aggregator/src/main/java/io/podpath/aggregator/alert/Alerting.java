package io.podpath.aggregator.alert;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The alert engine, its persisted state and one queue per sink, fed once per sweep. */
public final class Alerting implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Alerting.class);
  private final AlertEngine engine;
  private final @Nullable AlertStateFile store;
  private final List<SinkQueue> queues;
  private final List<AlertSink> sinks;

  /** {@code store} may be null (state kept in memory only). */
  public Alerting(
      AlertEngine engine,
      @Nullable AlertStateFile store,
      List<AlertSink> sinks,
      List<SinkQueue> queues) {
    this.engine = engine;
    this.store = store;
    this.sinks = List.copyOf(sinks);
    this.queues = List.copyOf(queues);
  }

  /**
   * Restores the state from {@code stateFile} (null: in memory only) and starts one queue per sink
   * with the outbox it had left.
   */
  public static Alerting start(
      int pendingSweeps,
      @Nullable Path stateFile,
      List<AlertSink> sinks,
      int queueCapacity,
      Duration minBackoff,
      Duration maxBackoff,
      MeterRegistry registry)
      throws IOException {
    AlertStateFile store = stateFile == null ? null : AlertStateFile.open(stateFile);
    AlertEngine engine = new AlertEngine(pendingSweeps, store == null ? Map.of() : store.alerts());
    List<SinkQueue> queues =
        sinks.stream()
            .map(s -> new SinkQueue(s, queueCapacity, minBackoff, maxBackoff, store, registry))
            .toList();
    return new Alerting(engine, store, sinks, queues);
  }

  /** Applies one sweep: queues every transition to every sink and persists the new state. */
  public synchronized List<Notification> onSweep(List<Observation> observations, Instant now) {
    List<Notification> transitions = engine.observe(observations, now);
    for (int i = 0; i < queues.size(); i++) {
      SinkQueue q = queues.get(i);
      transitions.forEach(q::offer);
      // Re-assert what is still firing only when nothing is waiting: an outage must not fill
      // the queue with repeats.
      if (sinks.get(i).reasserts() && q.size() == 0) {
        engine.firing().stream().filter(n -> !transitions.contains(n)).forEach(q::offer);
      }
    }
    if (store != null) {
      try {
        store.saveAlerts(engine.entries());
      } catch (IOException e) {
        LOG.warn("could not persist alert state: {}", e.getMessage());
      }
    }
    return transitions;
  }

  public AlertEngine engine() {
    return engine;
  }

  @Override
  public void close() {
    queues.forEach(SinkQueue::close);
  }
}
