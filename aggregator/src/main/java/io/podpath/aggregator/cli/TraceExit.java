package io.podpath.aggregator.cli;

import io.podpath.aggregator.render.TraceRenderer;
import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import java.util.stream.Stream;

/** A trace's exit code: 0 all delivered, 3 when an agent could not be asked, else 1. */
final class TraceExit {
  private TraceExit() {}

  static int of(TraceResult r) {
    boolean agentMissing =
        r.getEndpointsList().stream()
            .flatMap(TraceExit::directions)
            .anyMatch(
                d -> d.getVerdict() == Verdict.VERDICT_INCONCLUSIVE && agentFailure(d.getReason()));
    if (agentMissing) {
      return ExitCodes.UNREACHABLE;
    }
    return TraceRenderer.allDelivered(r) ? ExitCodes.OK : ExitCodes.PROBLEM;
  }

  private static Stream<DirectionTrace> directions(EndpointTrace e) {
    return e.hasReply() ? Stream.of(e.getForward(), e.getReply()) : Stream.of(e.getForward());
  }

  /**
   * The reasons the aggregator gives when it could not ask a node's agent (trace's
   * DirectionTracer.agentFailure): the answer is unknown because podpath could not reach a part of
   * itself, not because of the network under test.
   */
  static boolean agentFailure(String reason) {
    return reason.startsWith("no agent known for node ")
        || (reason.startsWith("the agent on ")
            && (reason.contains(" is unreachable") || reason.contains(" did not answer in time")));
  }
}
