package io.podpath.aggregator.trace;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that trace directions concurrently. Bounded: when every thread is busy the caller
 * traces the direction itself (slower, never refused). Idle threads end after a while, so an
 * aggregator without traces holds none; daemon threads, so the pool never keeps a JVM alive.
 */
final class DirectionPool {
  /** Matches the aggregator's per-agent call bound: more directions in flight only queue there. */
  static final int MAX_THREADS = 16;

  private static final Executor SHARED = create();

  private DirectionPool() {}

  static Executor shared() {
    return SHARED;
  }

  private static Executor create() {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "trace-direction-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return new ThreadPoolExecutor(
        0,
        MAX_THREADS,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        threads,
        new ThreadPoolExecutor.CallerRunsPolicy());
  }
}
