package io.podpath.aggregator.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AgentSlotsTest {
  private static final long LONG = TimeUnit.HOURS.toNanos(1);

  @Test
  void callersBeyondTheBoundWaitAndGetFreedSlotsInArrivalOrder() {
    AgentSlots slots = new AgentSlots(2);
    assertThat(slots.acquire(LONG)).isCompleted();
    assertThat(slots.acquire(LONG)).isCompleted();
    CompletableFuture<Void> third = slots.acquire(LONG);
    CompletableFuture<Void> fourth = slots.acquire(LONG);
    assertThat(third).isNotDone();
    assertThat(slots.waiting()).isEqualTo(2);

    slots.release();
    assertThat(third).isCompleted();
    assertThat(fourth).isNotDone();
    assertThat(slots.inFlight()).isEqualTo(2);

    slots.release();
    assertThat(fourth).isCompleted();
    slots.release();
    slots.release();
    assertThat(slots.inFlight()).isZero();
    assertThat(slots.acquire(LONG)).isCompleted();
  }

  @Test
  void aCancelledWaiterIsSkippedAndTheSlotGoesToTheNext() {
    AgentSlots slots = new AgentSlots(1);
    var unused = slots.acquire(LONG);
    CompletableFuture<Void> gaveUp = slots.acquire(LONG);
    CompletableFuture<Void> next = slots.acquire(LONG);
    gaveUp.cancel(false);

    slots.release();
    assertThat(next).isCompleted();
    assertThat(slots.inFlight()).isEqualTo(1);
  }

  @Test
  void noSlotBeforeTheDeadlineFailsTheWaiter() {
    AgentSlots slots = new AgentSlots(1);
    var unused = slots.acquire(LONG);
    CompletableFuture<Void> none = slots.acquire(0);
    assertThat(none).isCompletedExceptionally();
    CompletableFuture<Void> late = slots.acquire(1);
    try {
      late.join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(AgentSlots.NoSlotException.class);
    }
    assertThat(late).isCompletedExceptionally();
    assertThat(slots.waiting()).isZero();
    // the timed-out waiter took nothing: the holder's release frees the slot
    slots.release();
    assertThat(slots.inFlight()).isZero();
  }
}
