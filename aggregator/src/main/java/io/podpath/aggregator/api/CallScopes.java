package io.podpath.aggregator.api;

import io.grpc.Context;
import io.grpc.Deadline;
import io.podpath.aggregator.model.CallScope;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The gRPC edge's caller: its deadline and cancellation ({@link Context}) captured once, as the
 * domain's {@link CallScope}, so the planner's threads and every agent call see them.
 */
final class CallScopes {
  private static final Executor DIRECT = Runnable::run;

  private CallScopes() {}

  /** Runs {@code work} in a scope that follows the current call's deadline and cancellation. */
  static <T> T withCurrent(Function<CallScope, T> work) {
    Context context = Context.current();
    Deadline deadline = context.getDeadline();
    CallScope scope =
        deadline == null
            ? CallScope.unbounded()
            : CallScope.within(Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS)));
    Context.CancellationListener listener =
        c ->
            scope.cancel(
                c.getDeadline() != null && c.getDeadline().isExpired()
                    ? "the caller's deadline passed"
                    : "the caller cancelled");
    context.addListener(listener, DIRECT);
    try {
      return work.apply(scope);
    } finally {
      context.removeListener(listener);
    }
  }
}
