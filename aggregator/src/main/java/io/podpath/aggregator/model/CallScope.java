package io.podpath.aggregator.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The caller's deadline and cancellation, carried from the API edge through the planner's threads
 * into every agent call, so that work stops when the caller gives up. Thread-safe.
 */
public final class CallScope {
  private final long deadlineNanos;
  private final AtomicReference<String> cancelled = new AtomicReference<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private CallScope(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
  }

  /** A scope ending {@code within} from now (the caller's deadline). */
  public static CallScope within(Duration within) {
    long now = System.nanoTime();
    long nanos = within.toNanos();
    // saturate: a caller without deadline has "forever", which must not overflow
    return new CallScope(nanos > Long.MAX_VALUE / 4 ? now + Long.MAX_VALUE / 4 : now + nanos);
  }

  /** A scope with no caller deadline (the agent client's own per-call deadline still applies). */
  public static CallScope unbounded() {
    return within(Duration.ofNanos(Long.MAX_VALUE));
  }

  /** A new scope with this one's deadline, not cancelled (a call made on its behalf). */
  public CallScope sameDeadline() {
    return new CallScope(deadlineNanos);
  }

  /** Time left before the caller's deadline; zero or negative once it passed. */
  public Duration remaining() {
    return Duration.ofNanos(deadlineNanos - System.nanoTime());
  }

  /** Why the caller gave up, once it has (cancellation or deadline). */
  public Optional<String> stopped() {
    String why = cancelled.get();
    if (why != null) {
      return Optional.of(why);
    }
    return remaining().isNegative() || remaining().isZero()
        ? Optional.of("the caller's deadline passed")
        : Optional.empty();
  }

  /** Marks the scope cancelled and runs every listener once. */
  public void cancel(String why) {
    if (cancelled.compareAndSet(null, why)) {
      listeners.forEach(Runnable::run);
    }
  }

  /**
   * Runs {@code listener} when the scope is cancelled (now, if it already is). Returns a handle
   * that removes it, for a listener that outlives its call otherwise.
   */
  public Runnable onCancel(Runnable listener) {
    listeners.add(listener);
    if (cancelled.get() != null && listeners.remove(listener)) {
      listener.run();
    }
    return () -> listeners.remove(listener);
  }
}
