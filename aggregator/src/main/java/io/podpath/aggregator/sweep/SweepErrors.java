package io.podpath.aggregator.sweep;

import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.Check;
import io.podpath.aggregator.model.CheckStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** How a sweep words a failed agent call, and how it stops when its caller gives up. */
final class SweepErrors {
  private SweepErrors() {}

  static Throwable cause(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /**
   * The agent client's own words: they name the deadline actually applied to the call (the shortest
   * of the client's, the sweep's per-node one and the caller's), never a configured one that did
   * not apply.
   */
  static String why(Throwable t) {
    if (t instanceof AgentException a) {
      return Objects.requireNonNullElse(a.getMessage(), a.toString());
    }
    return String.valueOf(t);
  }

  static SweepCancelledException stopped(CallScope scope) {
    String why = scope.stopped().orElse("cancelled");
    return new SweepCancelledException(why, why.contains("deadline"));
  }

  static NodeResult unreachable(String node, String why) {
    return new NodeResult(
        node,
        Optional.of(why),
        List.of(
            new Check(
                SweepRunner.AGENT_CHECK,
                CheckStatus.UNREACHABLE,
                why,
                "Check the podpath agent pod on this node (logs, restarts) and that"
                    + " the aggregator can reach its gRPC port with the right client certificate.",
                0,
                List.of())));
  }
}
