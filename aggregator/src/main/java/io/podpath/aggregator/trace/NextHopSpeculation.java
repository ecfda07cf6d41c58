package io.podpath.aggregator.trace;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeQuery;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Shortens a direction's chain of agent calls: remembers, per exact agent request (node and {@link
 * NodeQuery}: everything that decides the answer, nothing per call), the request the direction made
 * next last time, and starts that one at the same time as the first. Its answer is used only when
 * the request the direction really makes next is equal to it; otherwise it is cancelled and the
 * real one made. So the result is the one of calling one after the other, one hop sooner.
 */
final class NextHopSpeculation {
  /** One agent request: the node asked and what it is asked. */
  record Call(String node, NodeQuery query) {}

  static final int MEMORY = 256;

  private final Map<Call, Call> next =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Call, Call> eldest) {
          return size() > MEMORY;
        }
      };

  private final Executor executor;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  NextHopSpeculation(Executor executor) {
    this.executor = executor;
  }

  /**
   * A memory of its own on the shared pool: bounded, and a full pool means no speculation rather
   * than a wait.
   */
  static NextHopSpeculation onSharedPool() {
    return new NextHopSpeculation(Shared.POOL);
  }

  /** Speculations whose answer was used. */
  long hits() {
    return hits.sum();
  }

  /** Speculations started and then cancelled or ignored: a different next request, or none. */
  long misses() {
    return misses.sum();
  }

  /** Remembers that {@code from} led to {@code to}. */
  void learn(Call from, Call to) {
    synchronized (next) {
      next.put(from, to);
    }
  }

  /**
   * Starts the request {@code from} led to last time, if any, under a scope of its own that has the
   * caller's deadline and is cancelled with it.
   */
  Optional<Flight> start(Call from, AgentClient agents, CallScope scope) {
    Call guess;
    synchronized (next) {
      guess = next.get(from);
    }
    if (guess == null || scope.stopped().isPresent()) {
      return Optional.empty();
    }
    CallScope own = scope.sameDeadline();
    Runnable unlink =
        scope.onCancel(() -> own.cancel(scope.stopped().orElse("the trace was cancelled")));
    CompletableFuture<NodeAnswer> answer = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            try {
              answer.complete(agents.traceNode(guess.node(), guess.query(), own));
            } catch (RuntimeException | Error e) {
              answer.completeExceptionally(e);
              if (e instanceof Error err) {
                throw err;
              }
            }
          });
    } catch (RejectedExecutionException e) {
      unlink.run();
      return Optional.empty();
    }
    return Optional.of(new Flight(guess, answer, own, unlink));
  }

  /** A speculative call in flight. */
  final class Flight {
    private final Call call;
    private final CompletableFuture<NodeAnswer> answer;
    private final CallScope scope;
    private final Runnable unlink;

    private Flight(
        Call call, CompletableFuture<NodeAnswer> answer, CallScope scope, Runnable unlink) {
      this.call = call;
      this.answer = answer;
      this.scope = scope;
      this.unlink = unlink;
    }

    /**
     * Its answer when {@code real} is the very request it made and it succeeded; otherwise empty
     * (cancelled): the caller then makes the real call, which fails the way it would have.
     */
    Optional<NodeAnswer> take(Call real) {
      if (!call.equals(real)) {
        discard();
        return Optional.empty();
      }
      try {
        NodeAnswer a = answer.join();
        hits.increment();
        return Optional.of(a);
      } catch (CompletionException | CancellationException e) {
        misses.increment();
        return Optional.empty();
      } finally {
        unlink.run();
      }
    }

    /** Not needed (the direction made another request or ended): cancel it. */
    void discard() {
      misses.increment();
      scope.cancel("speculative call not needed");
      unlink.run();
    }
  }

  private static final class Shared {
    static final Executor POOL = pool();

    private static Executor pool() {
      AtomicInteger n = new AtomicInteger();
      return new ThreadPoolExecutor(
          0,
          DirectionPool.MAX_THREADS,
          60,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "trace-speculation-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          },
          new ThreadPoolExecutor.AbortPolicy());
    }
  }
}
