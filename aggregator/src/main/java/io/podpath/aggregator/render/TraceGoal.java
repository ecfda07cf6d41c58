package io.podpath.aggregator.render;

import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;

/**
 * Whether a trace's forward packets got where they were sent: the one rule behind the exit code,
 * the JSON {@code reached} field and the sentence the text and web page print, so they cannot
 * disagree.
 */
public final class TraceGoal {
  private TraceGoal() {}

  /** Every endpoint's forward direction reached its goal (and there is at least one endpoint). */
  public static boolean allReached(TraceResult r) {
    return r.getEndpointsCount() > 0 && r.getEndpointsList().stream().allMatch(TraceGoal::reached);
  }

  /**
   * The forward packet got where it was sent: a pod or node destination DELIVERED, an outside
   * address LEFT_CLUSTER through a node's kernel or out of an OVS gateway that SNATed it (not
   * merely out of OVS, where podpath cannot see).
   */
  public static boolean reached(EndpointTrace e) {
    DirectionTrace f = e.getForward();
    if (f.getVerdict() == Verdict.VERDICT_DELIVERED) {
      return true;
    }
    if (f.getVerdict() != Verdict.VERDICT_LEFT_CLUSTER || e.hasPod() || f.getNodesCount() == 0) {
      return false;
    }
    NodeTrace last = f.getNodes(f.getNodesCount() - 1).getTrace();
    if (last.hasKernel() && last.getKernel().getResult() == KernelHop.Result.RESULT_FORWARDED) {
      return true;
    }
    if (outOfOvsGateway(last)) {
      return true;
    }
    return f.getNodesCount() >= 2
        && intoUplinkBridge(f.getNodes(f.getNodesCount() - 2).getTrace(), last);
  }

  /**
   * The node's kernel routed the packet into an OVS bridge (its uplink bridge, e.g. breth0), whose
   * flows then put it out of a port that is no host-side one (the NIC): routed out, through OVS.
   */
  private static boolean intoUplinkBridge(NodeTrace kernel, NodeTrace last) {
    TraceOutcome.Kind k = last.getOutcome().getKind();
    return kernel.getNode().equals(last.getNode())
        && kernel.hasKernel()
        && kernel.getKernel().getResult() == KernelHop.Result.RESULT_BACK_TO_OVS
        && kernel.getKernel().getOvsBridge().equals(last.getBridge())
        && (k == TraceOutcome.Kind.KIND_OTHER_PORT || k == TraceOutcome.Kind.KIND_GATEWAY);
  }

  /**
   * OVS itself SNATed the packet and put it out of another bridge's physical port, with no node
   * kernel on the way (the agent's finding ovs-snat-egress; OVN-Kubernetes' shared gateway): out on
   * the wire with an address the outside answers.
   */
  private static boolean outOfOvsGateway(NodeTrace last) {
    return !last.hasKernel()
        && last.getOutcome().getKind() == TraceOutcome.Kind.KIND_GATEWAY
        && last.getFindingsList().stream().anyMatch(f -> f.getCode().equals("ovs-snat-egress"));
  }

  /** Every forward verdict is literally DELIVERED (the JSON {@code delivered} field). */
  public static boolean allDelivered(TraceResult r) {
    return r.getEndpointsCount() > 0
        && r.getEndpointsList().stream()
            .allMatch(e -> e.getForward().getVerdict() == Verdict.VERDICT_DELIVERED);
  }

  /** The one-line outcome printed after the text and on the web page. */
  public static String sentence(TraceResult r) {
    if (allReached(r)) {
      return allDelivered(r)
          ? "every forward packet delivered"
          : "every forward packet reached its destination (routed out of the cluster)";
    }
    return r.getEndpointsCount() == 0
        ? "nothing traced"
        : "not every forward packet reached its destination";
  }
}
