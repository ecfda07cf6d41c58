package io.podpath.agent.exec;

import io.podpath.agent.errors.DeadlineExceededException;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One call's deadline and cancellation, as a plain value the domain and the plumbing can read
 * without knowing gRPC: the edge opens a scope per call and cancels it when the caller goes away or
 * the deadline passes. Work started under a scope stops then: the process runner kills the process
 * tree it started, waits on other threads are interrupted, and sockets registered with {@link
 * #onCancel} are closed.
 *
 * <p>The scope follows the work onto other threads through {@link #within}: the netns executor
 * carries it to its workers. Code with no scope (start-up, background refresh) sees {@link #NONE},
 * which never ends.
 */
public final class CallScope {
  /** No caller: no deadline, never cancelled. */
  public static final CallScope NONE = new CallScope(Long.MAX_VALUE);

  private static final ThreadLocal<CallScope> CURRENT = new ThreadLocal<>();

  private final long deadlineNanos;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Set<Thread> threads = new LinkedHashSet<>();
  private volatile @Nullable String cancelled;

  private CallScope(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
  }

  /** A scope ending {@code budget} from now. */
  public static CallScope of(Duration budget) {
    return new CallScope(System.nanoTime() + budget.toNanos());
  }

  /** The scope of the work running on this thread ({@link #NONE} outside any call). */
  public static CallScope current() {
    CallScope s = CURRENT.get();
    return s == null ? NONE : s;
  }

  /**
   * Runs {@code work} on this thread under this scope: {@link #current()} answers this scope, and a
   * cancellation interrupts this thread while the work runs (never after).
   */
  public <T> T within(Supplier<T> work) {
    if (this == NONE) {
      return work.get();
    }
    CallScope outer = CURRENT.get();
    Thread me = Thread.currentThread();
    synchronized (threads) {
      if (cancelled != null) {
        throw new CallEndedException(cancelled);
      }
      threads.add(me);
    }
    CURRENT.set(this);
    try {
      return work.get();
    } finally {
      synchronized (threads) {
        threads.remove(me);
      }
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
      if (cancelled != null && outer == null) {
        // our own cancellation's interrupt, if it landed late: it must not hit the pool's next job
        Thread.interrupted();
      }
    }
  }

  /** Time left; {@link Optional#empty()} when there is no deadline. */
  public Optional<Duration> remaining() {
    if (deadlineNanos == Long.MAX_VALUE) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(deadlineNanos - System.nanoTime()));
  }

  /**
   * {@code timeout} shortened to what is left of this scope.
   *
   * @throws CallEndedException when the scope is cancelled or its deadline passed
   */
  public Duration cap(Duration timeout) {
    checkAlive();
    Optional<Duration> left = remaining();
    if (left.isEmpty() || left.get().compareTo(timeout) >= 0) {
      return timeout;
    }
    return left.get();
  }

  /**
   * Whether {@link #cap} shortened {@code timeout}: the call's deadline, not the tool's, applies.
   */
  public boolean shortens(Duration timeout) {
    Optional<Duration> left = remaining();
    return left.isPresent() && left.get().compareTo(timeout) < 0;
  }

  /** Why the call ended, once it has (cancelled by the caller, or out of time). */
  public Optional<String> ended() {
    if (cancelled != null) {
      return Optional.of(cancelled);
    }
    Optional<Duration> left = remaining();
    if (left.isPresent() && (left.get().isNegative() || left.get().isZero())) {
      return Optional.of("the call's deadline passed");
    }
    return Optional.empty();
  }

  /**
   * Stops work whose caller has gone.
   *
   * @throws CallEndedException once the call has ended
   */
  public void checkAlive() {
    Optional<String> why = ended();
    if (why.isPresent()) {
      throw new CallEndedException(why.get());
    }
  }

  /**
   * Ends the call: runs every listener once and interrupts the threads working under it. Later
   * calls do nothing.
   */
  public void cancel(String why) {
    if (this == NONE) {
      return;
    }
    synchronized (threads) {
      if (cancelled != null) {
        return;
      }
      cancelled = why;
    }
    for (Runnable l : listeners) {
      try {
        l.run();
      } catch (RuntimeException e) {
        // a listener closing an already closed resource: nothing left to stop
      }
    }
    synchronized (threads) {
      threads.forEach(Thread::interrupt);
    }
  }

  /**
   * Runs {@code listener} when the call ends by cancellation (at once if it already has). Returns
   * the handle that removes it; remove it when the resource it stops is gone.
   */
  public Runnable onCancel(Runnable listener) {
    if (this == NONE) {
      return () -> {};
    }
    listeners.add(listener);
    if (cancelled != null && listeners.remove(listener)) {
      listener.run();
    }
    return () -> listeners.remove(listener);
  }

  /** Closes {@code c} when the call is cancelled: for sockets, whose reads ignore interrupts. */
  public Runnable closeOnCancel(Closeable c) {
    return onCancel(
        () -> {
          try {
            c.close();
          } catch (IOException e) {
            // already closed: nothing left to stop
          }
        });
  }

  /** The call ended (cancelled, or its deadline passed) before the work did. */
  public static final class CallEndedException extends DeadlineExceededException {
    private static final long serialVersionUID = 1L;

    public CallEndedException(String why) {
      super("stopped: " + why);
    }
  }
}
