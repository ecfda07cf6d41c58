package io.podpath.aggregator.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, persisted, in-order queue in front of one sink, drained by one thread: the head is
 * retried with exponential backoff until the sink takes it, so a sink outage delays alerts but
 * loses none (up to {@code capacity}; past it the newest is refused and counted).
 */
public final class SinkQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SinkQueue.class);

  private final AlertSink sink;
  private final int capacity;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final @Nullable AlertStateFile store;
  private final Deque<Notification> queue = new ArrayDeque<>();
  private final Thread worker;
  private final Counter delivered;
  private final Counter failures;
  private final Counter refused;
  private volatile boolean closed;
  private volatile boolean inFlight;

  public SinkQueue(
      AlertSink sink,
      int capacity,
      Duration minBackoff,
      Duration maxBackoff,
      @Nullable AlertStateFile store,
      MeterRegistry registry) {
    this.sink = sink;
    this.capacity = capacity;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.store = store;
    queue.addAll(store == null ? List.of() : store.outbox(sink.name()));
    delivered = counter(registry, "delivered");
    failures = counter(registry, "failed");
    refused = counter(registry, "refused");
    worker = new Thread(this::drain, "alert-sink-" + sink.name());
    worker.setDaemon(true);
    worker.start();
  }

  private Counter counter(MeterRegistry r, String result) {
    return Counter.builder("podpath.alert.notifications")
        .description("Alert notifications per sink and result")
        .tag("sink", sink.name())
        .tag("result", result)
        .register(r);
  }

  public String sinkName() {
    return sink.name();
  }

  /** Queues {@code n}; false when the queue is full (the notification is counted as refused). */
  public boolean offer(Notification n) {
    synchronized (queue) {
      if (queue.size() >= capacity) {
        refused.increment();
        LOG.warn("alert queue of {} full ({}): refusing {}", sink.name(), capacity, n.id());
        return false;
      }
      queue.addLast(n);
      persist();
      queue.notifyAll();
      return true;
    }
  }

  public int size() {
    synchronized (queue) {
      return queue.size();
    }
  }

  private void drain() {
    long backoff = minBackoff.toMillis();
    while (!closed) {
      Notification head;
      synchronized (queue) {
        while (queue.isEmpty() && !closed) {
          try {
            queue.wait(500);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        head = queue.peekFirst();
      }
      try {
        inFlight = true;
        try {
          sink.deliver(head);
        } finally {
          inFlight = false;
        }
        delivered.increment();
        backoff = minBackoff.toMillis();
        synchronized (queue) {
          if (isSame(queue.peekFirst(), head)) {
            queue.removeFirst();
          }
          persist();
        }
      } catch (AlertSink.SinkException | RuntimeException e) {
        failures.increment();
        LOG.info(
            "sink {}: {} not delivered ({}); retrying in {} ms",
            sink.name(),
            head.id(),
            e.getMessage(),
            backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(maxBackoff.toMillis(), backoff * 2);
      }
    }
  }

  private void persist() {
    if (store == null) {
      return;
    }
    try {
      store.saveOutbox(sink.name(), new ArrayList<>(queue));
    } catch (IOException e) {
      LOG.warn("could not persist the {} outbox: {}", sink.name(), e.getMessage());
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (queue) {
      queue.notifyAll();
    }
    // Let an attempt in flight finish (and its removal be persisted), so that a restart does not
    // deliver it a second time; a retry sleep is cut short.
    try {
      worker.join(100);
      if (worker.isAlive() && !inFlight) {
        worker.interrupt();
      }
      worker.join(7000);
      worker.interrupt();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The very entry that was sent: an equal one queued after it must stay. */
  @SuppressWarnings("ReferenceEquality")
  private static boolean isSame(Object queued, Object sent) {
    return queued == sent;
  }
}
