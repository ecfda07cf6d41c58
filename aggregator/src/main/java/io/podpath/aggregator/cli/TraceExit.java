package io.podpath.aggregator.cli;

import io.podpath.aggregator.render.TraceGoal;
import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import java.util.stream.Stream;

/**
 * A trace's exit code: 0 when every forward direction reached its goal ({@link TraceGoal}:
 * delivered, or — for a destination outside the cluster — routed out by the node's kernel), 3 when
 * an agent could not be asked, 6 when a live packet contradicts the model, 1 when the live packet
 * was lost (even where the model agrees), else 1.
 */
final class TraceExit {
  private TraceExit() {}

  static int of(TraceResult r) {
    boolean agentMissing =
        r.getEndpointsList().stream()
            .flatMap(TraceExit::directions)
            .anyMatch(
                d -> d.getVerdict() == Verdict.VERDICT_INCONCLUSIVE && d.getAgentUnreachable());
    if (agentMissing) {
      return ExitCodes.UNREACHABLE;
    }
    if (r.hasLive() && r.getLive().getDisagrees()) {
      return ExitCodes.LIVE_DISAGREES;
    }
    if (r.hasLive()
        && r.getLive().getLiveVerdict() != Verdict.VERDICT_DELIVERED
        && r.getLive().getLiveVerdict() != Verdict.VERDICT_LEFT_CLUSTER) {
      return ExitCodes.PROBLEM;
    }
    return TraceGoal.allReached(r) ? ExitCodes.OK : ExitCodes.PROBLEM;
  }

  private static Stream<DirectionTrace> directions(EndpointTrace e) {
    return e.hasReply() ? Stream.of(e.getForward(), e.getReply()) : Stream.of(e.getForward());
  }
}
