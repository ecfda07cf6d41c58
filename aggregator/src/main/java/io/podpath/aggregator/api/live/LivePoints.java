package io.podpath.aggregator.api.live;

import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TunnelOutput;
import io.podpath.proto.v1.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The capture points of one endpoint's modelled forward path, in path order: the source pod's host
 * veth, each tunnel as it leaves one node and arrives at the next, the destination pod's host veth
 * (or the OVS port the packet leaves by). A path the model ends in a drop adds the destination's
 * veth as "not predicted", so a packet that gets there anyway is a disagreement.
 */
final class LivePoints {
  private LivePoints() {}

  /**
   * @param hostIf the host veth of a pod on a node (asked of that node's agent)
   * @param nodeOf the node a pod runs on (the inventory)
   */
  static List<CapturePoint> of(
      PodRef source,
      EndpointTrace e,
      BiFunction<String, PodRef, String> hostIf,
      Function<PodRef, Optional<String>> nodeOf) {
    List<CapturePoint> out = new ArrayList<>();
    List<NodeObservation> nodes = e.getForward().getNodesList();
    for (int i = 0; i < nodes.size(); i++) {
      NodeObservation n = nodes.get(i);
      if (i == 0) {
        out.add(
            CapturePoint.plain(
                n.getNode(), name(source) + " host veth", hostIf.apply(n.getNode(), source), true));
      }
      TraceOutcome o = n.getTrace().getOutcome();
      switch (o.getKind()) {
        case KIND_TUNNEL -> {
          TunnelOutput t = o.getTunnel();
          out.add(
              CapturePoint.encap(
                  n.getNode(),
                  "leaving by " + t.getType() + " to " + t.getRemoteIp(),
                  t.getLocalIp(),
                  t.getRemoteIp()));
          if (i + 1 < nodes.size()) {
            out.add(
                CapturePoint.encap(
                    nodes.get(i + 1).getNode(),
                    "arriving by " + t.getType() + " from " + t.getLocalIp(),
                    t.getLocalIp(),
                    t.getRemoteIp()));
          }
        }
        case KIND_LOCAL_POD -> {
          if (o.hasPod()) {
            out.add(
                CapturePoint.plain(
                    n.getNode(),
                    name(o.getPod()) + " host veth",
                    hostIf.apply(n.getNode(), o.getPod()),
                    true));
          }
        }
        case KIND_HOST, KIND_GATEWAY, KIND_OTHER_PORT ->
            out.add(
                CapturePoint.plain(
                    n.getNode(), "leaving OVS by " + o.getPortName(), o.getPortName(), true));
        default -> {}
      }
    }
    if (e.getForward().getVerdict() == Verdict.VERDICT_DROPPED && e.hasPod()) {
      nodeOf
          .apply(e.getPod())
          .ifPresent(
              node ->
                  out.add(
                      CapturePoint.plain(
                          node,
                          name(e.getPod()) + " host veth",
                          hostIf.apply(node, e.getPod()),
                          false)));
    }
    return out;
  }

  static String name(PodRef p) {
    return p.getNamespace() + "/" + p.getName();
  }
}
