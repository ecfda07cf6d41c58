package io.podpath.aggregator.agents;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The call slots towards one agent: at most {@code max} calls in flight; a caller beyond that gets
 * a future that completes when a slot is handed to it (first come, first served), or fails with
 * {@link NoSlotException} at its deadline. No thread waits and nothing polls.
 */
final class AgentSlots {
  /** Every slot stayed busy until the caller's deadline. */
  static final class NoSlotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoSlotException() {
      super("no call slot free", null, false, false);
    }
  }

  private final int max;

  private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();

  private int inFlight;

  AgentSlots(int max) {
    this.max = max;
  }

  /** A slot now, or when one is released before {@code timeoutNanos}; release it exactly once. */
  // A timed-out waiter is removed by identity, which is a CompletableFuture's equals.
  @SuppressWarnings("CollectionUndefinedEquality")
  CompletableFuture<Void> acquire(long timeoutNanos) {
    CompletableFuture<Void> slot = new CompletableFuture<>();
    synchronized (this) {
      if (inFlight < max) {
        inFlight++;
        slot.complete(null);
        return slot;
      }
      if (timeoutNanos <= 0) {
        slot.completeExceptionally(new NoSlotException());
        return slot;
      }
      waiting.addLast(slot);
    }
    CompletableFuture.delayedExecutor(timeoutNanos, TimeUnit.NANOSECONDS)
        .execute(
            () -> {
              boolean stillWaiting;
              synchronized (this) {
                stillWaiting = waiting.remove(slot);
              }
              if (stillWaiting) {
                slot.completeExceptionally(new NoSlotException());
              }
            });
    return slot;
  }

  /** Gives the slot to the longest waiting caller still waiting, or frees it. */
  void release() {
    while (true) {
      CompletableFuture<Void> next;
      synchronized (this) {
        next = waiting.pollFirst();
        if (next == null) {
          inFlight--;
          return;
        }
      }
      // the slot passes on without inFlight changing; a waiter that timed out or was cancelled
      // refuses it, and the next one gets it
      if (next.complete(null)) {
        return;
      }
    }
  }

  synchronized int inFlight() {
    return inFlight;
  }

  synchronized int waiting() {
    return waiting.size();
  }
}
