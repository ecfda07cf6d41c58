package io.podpath.aggregator.sweep;

import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.model.CallScope;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.NodeReport;
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
      return a.getMessage();
    }
    return String.valueOf(t);
  }

  static SweepCancelledException stopped(CallScope scope) {
    String why = scope.stopped().orElse("cancelled");
    return new SweepCancelledException(why, why.contains("deadline"));
  }

  static NodeReport unreachable(String node, String why) {
    return NodeReport.newBuilder()
        .setNode(node)
        .setError(why)
        .addChecks(
            CheckResult.newBuilder()
                .setId(SweepRunner.AGENT_CHECK)
                .setStatus(CheckStatus.CHECK_STATUS_UNREACHABLE)
                .setSummary(why)
                .setRemediation(
                    "Check the podpath agent pod on this node (logs, restarts) and that"
                        + " the aggregator can reach its gRPC port with the right client certificate."))
        .build();
  }
}
