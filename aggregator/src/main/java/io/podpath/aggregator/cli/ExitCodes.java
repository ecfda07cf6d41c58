package io.podpath.aggregator.cli;

import io.grpc.Status;

/**
 * podpath's exit codes, the same for every command (README "Exit codes" lists them):
 *
 * <ul>
 *   <li>0 — done, nothing wrong found (every forward packet reached its destination as {@code
 *       render.TraceGoal} decides, every check OK or not applicable, no ERROR finding);
 *   <li>1 — done, and a problem found: a forward verdict DROPPED or INCONCLUSIVE or a LEFT_CLUSTER
 *       that is not an outside address routed out, a check WARN/FAIL/UNKNOWN/UNREACHABLE, an ERROR
 *       finding of {@code inspect};
 *   <li>2 — the command line is wrong (only that);
 *   <li>3 — podpath cannot reach what it needs: the aggregator, the Kubernetes API, or an agent
 *       (also during a trace), or it did not answer within {@code --timeout};
 *   <li>4 — what was named does not exist: a pod, Service or node;
 *   <li>5 — not answerable yet or in this state: no full sweep has finished, the pod is not
 *       scheduled or has no IP, uses the host network; a live trace over the aggregator's rate or
 *       with live traces turned off;
 *   <li>6 — {@code trace --live}: the real packet and the model disagree at some point.
 * </ul>
 */
public final class ExitCodes {
  public static final int OK = 0;

  public static final int PROBLEM = 1;

  public static final int USAGE = 2;

  public static final int UNREACHABLE = 3;

  public static final int NOT_FOUND = 4;

  public static final int NOT_READY = 5;

  /** trace --live: the real packet and the model disagree at some point of the path. */
  public static final int LIVE_DISAGREES = 6;

  private ExitCodes() {}

  static int of(Status.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT, OUT_OF_RANGE -> USAGE;
      case NOT_FOUND -> NOT_FOUND;
      case FAILED_PRECONDITION, RESOURCE_EXHAUSTED -> NOT_READY;
      default -> UNREACHABLE;
    };
  }
}
