package io.podpath.agent.ovn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A value loaded at most once per {@code ttl}, so that back-to-back traces share one database read.
 * {@link #refreshIfOlderThan} lets a caller who found nothing reload a stale copy early.
 */
final class Cached<T> {
  private final Supplier<T> loader;
  private final Duration ttl;
  private final Clock clock;
  private @Nullable T value;
  private Instant loadedAt = Instant.MIN;

  Cached(Supplier<T> loader, Duration ttl, Clock clock) {
    this.loader = loader;
    this.ttl = ttl;
    this.clock = clock;
  }

  synchronized T get() {
    Instant now = clock.instant();
    if (value == null || loadedAt.plus(ttl).isBefore(now)) {
      value = loader.get();
      loadedAt = now;
    }
    return value;
  }

  /** Reloads when the cached copy is older than {@code age}; returns the (new) value. */
  synchronized T refreshIfOlderThan(Duration age) {
    if (value == null || loadedAt.plus(age).isBefore(clock.instant())) {
      value = loader.get();
      loadedAt = clock.instant();
    }
    return value;
  }
}
