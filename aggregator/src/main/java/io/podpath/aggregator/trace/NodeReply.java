package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.aggregator.model.TracedPacket;
import io.podpath.common.HostPort;
import java.util.Optional;

/**
 * The reply of a trace to a node's own address (node/NAME, a hostNetwork pod directly or as a
 * Service endpoint, ip:INTERNAL-IP): the destination node's own stack answers (HostIngress LOCAL,
 * an established connection) to the source the request arrived with there, so a SNAT on the way
 * (the source node's MASQUERADE) is answered to its address and reversed where it was made
 * (Goal.UnNat).
 */
final class NodeReply {
  private NodeReply() {}

  /** The node whose address {@code d} is, when the forward packet's trace ended on it. */
  private static Optional<NodeInfo> reachedNode(
      Inventory inventory, TraceQuery q, Destination d, DirectionResult forward) {
    boolean hostPod = d.pod().map(PodInfo::hostNetwork).orElse(false);
    if ((d.pod().isPresent() && !hostPod)
        || (d.vip().isPresent() && !hostPod)
        || forward.hops().isEmpty()
        || Plan.expectsNoReply(q)) {
      return Optional.empty();
    }
    String last = forward.hops().get(forward.hops().size() - 1).node();
    Optional<NodeInfo> owner =
        hostPod ? inventory.node(d.pod().get().node()) : NodeArrival.owner(inventory, d.ip());
    return owner.filter(n -> n.name().equals(last));
  }

  /** The reply to a pod source, or empty when the forward did not reach the destination node. */
  static Optional<Plan.Traceable> fromPod(
      Inventory inventory, TraceQuery q, PodInfo src, Destination d, DirectionResult forward) {
    Optional<NodeInfo> at = reachedNode(inventory, q, d, forward);
    if (at.isEmpty()) {
      return Optional.empty();
    }
    String srcIp = Plan.sameFamily(src, d.ip());
    int srcPort = q.effectiveSrcPort();
    NodeArrival.Arrival a = NodeArrival.arrival(forward.hops(), srcIp);
    Optional<Goal.UnNat> unNat =
        a.srcIp().equals(srcIp)
            ? Optional.empty()
            : a.natNode().map(n -> new Goal.UnNat(n, a.srcIp(), srcIp, srcPort, d.ip(), d.port()));
    String srcLabel = Plan.label(src, srcIp, q.hasPorts() ? srcPort : 0);
    Goal goal = new Goal(d.label(), srcLabel, Optional.of(src), Optional.empty(), unNat);
    return Optional.of(leg(q, at.get(), goal, d, a.srcIp(), srcPort));
  }

  /** The reply to a node source that sent from {@code chosen} (its kernel's choice). */
  static Optional<Plan.Traceable> fromNode(
      Inventory inventory,
      TraceQuery q,
      NodeInfo node,
      String chosen,
      Destination d,
      DirectionResult forward) {
    Optional<NodeInfo> at = reachedNode(inventory, q, d, forward);
    if (at.isEmpty()) {
      return Optional.empty();
    }
    int srcPort = q.effectiveSrcPort();
    String to = NodeArrival.arrival(forward.hops(), chosen).srcIp();
    Goal goal =
        new Goal(
            d.label(),
            "node/" + node.name() + " " + HostPort.of(to, q.hasPorts() ? srcPort : 0),
            Optional.empty(),
            Optional.empty());
    return Optional.of(leg(q, at.get(), goal, d, to, srcPort));
  }

  /** The note on such a reply. */
  static String note(Plan.Traceable leg) {
    return "the reply is sent by "
        + leg.node()
        + "'s own stack from "
        + leg.packet().srcIp()
        + " to "
        + leg.packet().dstIp()
        + ", the source the request arrived with; traced as an established connection";
  }

  private static Plan.Traceable leg(
      TraceQuery q, NodeInfo at, Goal goal, Destination d, String to, int toPort) {
    TracedPacket packet = Plan.packet(q, d.ip(), to, d.port(), toPort, Plan.echoReply(q, d.ip()));
    return new Plan.Traceable(
        goal,
        at.name(),
        new NodeQuery(
            new NodeQuery.FromHost(), packet, true, q.includeRaw(), q.includeConntrackEntries()),
        false);
  }
}
