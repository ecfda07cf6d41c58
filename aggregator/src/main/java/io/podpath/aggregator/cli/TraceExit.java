package io.podpath.aggregator.cli;

import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import java.util.stream.Stream;

/**
 * A trace's exit code: 0 when every forward direction reached its goal (delivered, or — for a
 * destination outside the cluster — routed out by the node's kernel), 3 when an agent could not be
 * asked, else 1.
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
    if (r.hasLive() && r.getLive().getLiveVerdict() != Verdict.VERDICT_DELIVERED) {
      return ExitCodes.PROBLEM;
    }
    boolean reached =
        r.getEndpointsCount() > 0 && r.getEndpointsList().stream().allMatch(TraceExit::reached);
    return reached ? ExitCodes.OK : ExitCodes.PROBLEM;
  }

  /**
   * The forward packet got where it was sent: a pod or node destination DELIVERED, an outside
   * address LEFT_CLUSTER through a node's kernel (not merely out of OVS, where podpath cannot see).
   */
  static boolean reached(EndpointTrace e) {
    DirectionTrace f = e.getForward();
    if (f.getVerdict() == Verdict.VERDICT_DELIVERED) {
      return true;
    }
    if (f.getVerdict() != Verdict.VERDICT_LEFT_CLUSTER || e.hasPod() || f.getNodesCount() == 0) {
      return false;
    }
    NodeTrace last = f.getNodes(f.getNodesCount() - 1).getTrace();
    return last.hasKernel() && last.getKernel().getResult() == KernelHop.Result.RESULT_FORWARDED;
  }

  private static Stream<DirectionTrace> directions(EndpointTrace e) {
    return e.hasReply() ? Stream.of(e.getForward(), e.getReply()) : Stream.of(e.getForward());
  }
}
