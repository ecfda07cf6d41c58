package io.podpath.aggregator.api.live;

import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.SizeCheck;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TunnelOutput;
import io.podpath.proto.v1.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The capture points of one endpoint, in path order. Forward: the source pod's host veth (a node
 * source: the host-side OVS port its kernel routed the packet into), each tunnel as it leaves one
 * node and arrives at the next, the destination pod's host veth or the OVS port the packet leaves
 * by, and the device the node's kernel routes it out of (toward an outside host, after its SNAT). A
 * path the model ends in a drop adds the destination's veth as "not predicted", so a packet that
 * gets there anyway is a disagreement. Then the reply: leaving the destination (its host veth, or
 * arriving back on that kernel device) and arriving at the source's point. The last point is always
 * the source's: the answer seen there is an exchange that works.
 */
final class LivePoints {
  private LivePoints() {}

  /**
   * @param sourcePod the sending pod; empty when a node's own stack sends
   * @param hostIf the host veth of a pod on a node (asked of that node's agent)
   * @param nodeOf the node a pod runs on (the inventory)
   */
  static List<CapturePoint> of(
      Optional<PodRef> sourcePod,
      EndpointTrace e,
      BiFunction<String, PodRef, String> hostIf,
      Function<PodRef, Optional<String>> nodeOf) {
    List<CapturePoint> out = new ArrayList<>();
    List<NodeObservation> nodes = e.getForward().getNodesList();
    Optional<CapturePoint> egress = Optional.empty();
    String srcWhat = "";
    String srcIf = "";
    for (int i = 0; i < nodes.size(); i++) {
      NodeObservation n = nodes.get(i);
      if (i == 0) {
        if (sourcePod.isPresent()) {
          srcWhat = name(sourcePod.get()) + " host veth";
          srcIf = hostIf.apply(n.getNode(), sourcePod.get());
        } else {
          KernelHop k = n.getTrace().getKernel();
          // The device its kernel routed the packet to: a host-side OVS port, or (routed out
          // directly) the uplink; the answer comes back by it. None: the model has the node's
          // own stack keep the packet (no route), so nothing is expected to leave it.
          srcIf = k.getDevice();
          srcWhat = n.getNode() + "'s stack" + (srcIf.isEmpty() ? "" : ", by " + srcIf);
        }
        boolean leaves = sourcePod.isPresent() ? !stoppedAtSource(e, sourcePod) : !srcIf.isEmpty();
        out.add(CapturePoint.plain(n.getNode(), srcWhat, srcIf, leaves));
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
        case KIND_HOST, KIND_GATEWAY, KIND_OTHER_PORT -> {
          if (!o.getPortName().isEmpty()) {
            CapturePoint p =
                CapturePoint.plain(
                    n.getNode(), "leaving OVS by " + o.getPortName(), o.getPortName(), true);
            out.add(p);
            egress = Optional.of(p);
          }
          KernelHop k = n.getTrace().getKernel();
          if (k.getResult() == KernelHop.Result.RESULT_FORWARDED && !k.getDevice().isEmpty()) {
            // Routed out by the node's kernel (after its SNAT): the match keeps the destination,
            // its port and the mark.
            CapturePoint p =
                CapturePoint.plain(
                    n.getNode(), "leaving " + n.getNode() + "'s kernel", k.getDevice(), true);
            out.add(p);
            egress = Optional.of(p);
          }
        }
        default -> {}
      }
      intoKernel(n).filter(p -> !out.contains(p) && !samePort(out, p)).ifPresent(out::add);
    }
    Verdict fwd = e.getForward().getVerdict();
    Optional<String> dstNode = hasPod(e) ? nodeOf.apply(e.getPod()) : Optional.empty();
    if (fwd == Verdict.VERDICT_DROPPED && dstNode.isPresent()) {
      out.add(
          CapturePoint.plain(
              dstNode.get(),
              name(e.getPod()) + " host veth",
              hostIf.apply(dstNode.get(), e.getPod()),
              false));
    }
    // The reply from outside the cluster is not modelled (it starts there).
    boolean judged = e.hasReply() && fwd != Verdict.VERDICT_LEFT_CLUSTER;
    boolean replies =
        judged
            && fwd == Verdict.VERDICT_DELIVERED
            && e.getReply().getVerdict() == Verdict.VERDICT_DELIVERED;
    if (dstNode.isPresent()) {
      // The model's reply starts here: it predicts the answer leaves the destination whenever the
      // request gets there (whether the reply then gets back is the source-side point).
      out.add(
          CapturePoint.answer(
              dstNode.get(),
              "reply leaving " + name(e.getPod()) + " host veth",
              hostIf.apply(dstNode.get(), e.getPod()),
              judged && fwd == Verdict.VERDICT_DELIVERED,
              judged));
    } else if (egress.isPresent() && fwd == Verdict.VERDICT_LEFT_CLUSTER) {
      out.add(
          CapturePoint.answer(
              egress.get().node(),
              "reply arriving by " + egress.get().iface(),
              egress.get().iface(),
              replies,
              judged));
    }
    if (!nodes.isEmpty()) {
      out.add(
          CapturePoint.answer(
              nodes.get(0).getNode(), "reply at " + srcWhat, srcIf, replies, judged));
    }
    return out;
  }

  /**
   * The model has the source pod's own stack stop the packet (its eth0 down, no route, a size its
   * MTU refuses with DF): it never reaches the host veth.
   */
  static boolean stoppedAtSource(EndpointTrace e, Optional<PodRef> sourcePod) {
    if (sourcePod.isEmpty() || e.getForward().getVerdict() != Verdict.VERDICT_DROPPED) {
      return false;
    }
    String eth0 = name(sourcePod.get()) + " eth0";
    for (NodeObservation n : e.getForward().getNodesList()) {
      // The agent's drop at the source pod's end names that pod (its eth0 down, cut off, no
      // route): the packet never left the pod.
      TraceOutcome o = n.getTrace().getOutcome();
      if (o.getKind() == TraceOutcome.Kind.KIND_DROPPED
          && o.hasPod()
          && name(o.getPod()).equals(name(sourcePod.get()))) {
        return true;
      }
      for (SizeCheck c : n.getTrace().getSizeChecksList()) {
        // The agent names the side: "source pod default/client-1 eth0 on node1".
        if (!c.getFits() && c.getWhere().startsWith("source pod " + eth0)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Where the packet entered the node's kernel (its host-side OVS port), when the model has it go
   * there: a packet the kernel drops was still seen going in.
   */
  private static Optional<CapturePoint> intoKernel(NodeObservation n) {
    KernelHop k = n.getTrace().getKernel();
    if (!n.getTrace().hasKernel() || k.getEnteredBy().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        CapturePoint.plain(
            n.getNode(), "into " + n.getNode() + "'s kernel", k.getEnteredBy(), true));
  }

  private static boolean samePort(List<CapturePoint> out, CapturePoint p) {
    return out.stream()
        .anyMatch(q -> !q.reply() && q.node().equals(p.node()) && q.iface().equals(p.iface()));
  }

  /** The endpoint is a pod (an IP endpoint may carry an empty PodRef). */
  static boolean hasPod(EndpointTrace e) {
    return e.hasPod() && !e.getPod().getName().isEmpty();
  }

  static String name(PodRef p) {
    return p.getNamespace() + "/" + p.getName();
  }
}
