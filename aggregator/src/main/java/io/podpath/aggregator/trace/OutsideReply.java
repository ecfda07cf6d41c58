package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.model.KernelResult;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.aggregator.model.TracedPacket;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The reply of a pod → outside trace: it comes back from the outside address to the node the
 * forward packet left the cluster by, whose conntrack knows the connection. It is traced from that
 * node's uplink (HostIngress UPLINK) addressed to the pod, as conntrack rewrites a reply to the
 * node's SNAT address before routing, with the state of an established connection.
 */
final class OutsideReply {

  private OutsideReply() {}

  /** The reply's leg, or empty when the forward did not leave the cluster or expects no reply. */
  static Optional<Plan.Traceable> of(
      TraceQuery q, PodInfo src, Destination d, DirectionResult forward) {
    if (d.pod().isPresent()
        || d.vip().isPresent()
        || !(forward instanceof DirectionResult.LeftCluster left)
        || left.hops().isEmpty()
        || Plan.expectsNoReply(q)) {
      return Optional.empty();
    }
    String exit = left.hops().get(left.hops().size() - 1).node();
    String srcIp = Plan.sameFamily(src, d.ip());
    int srcPort = q.effectiveSrcPort();
    String srcLabel = Plan.label(src, srcIp, q.hasPorts() ? srcPort : 0);
    Goal goal =
        new Goal(
            d.label() + " (answering at " + exit + ")",
            srcLabel,
            Optional.of(src),
            Optional.empty());
    OptionalInt icmpType = Plan.echoReply(q, d.ip());
    TracedPacket packet = Plan.packet(q, d.ip(), srcIp, d.port(), srcPort, icmpType);
    return Optional.of(
        new Plan.Traceable(
            goal,
            exit,
            new NodeQuery(
                new NodeQuery.FromUplink(""),
                packet,
                true,
                q.includeRaw(),
                q.includeConntrackEntries()),
            false));
  }

  /** The note on such a reply: where it enters and the NAT conntrack reverses. */
  static String note(TraceQuery q, PodInfo src, Destination d, DirectionResult forward) {
    DirectionResult.LeftCluster left = (DirectionResult.LeftCluster) forward;
    String exit = left.hops().get(left.hops().size() - 1).node();
    String srcIp = Plan.sameFamily(src, d.ip());
    Optional<String> snat = snatOn(left, exit).filter(a -> !a.equals(srcIp));
    return "the reply enters the cluster at "
        + exit
        + ", where the forward packet left it"
        + snat.map(
                a ->
                    "; conntrack there reverses its SNAT ("
                        + a
                        + " back to "
                        + srcIp
                        + ") before routing")
            .orElse("")
        + "; traced as an established connection";
  }

  /** The source the exit node's kernel gave the forward packet (its SNAT), if it had a say. */
  private static Optional<String> snatOn(DirectionResult.LeftCluster left, String node) {
    Optional<String> out = Optional.empty();
    for (Hop h : left.hops()) {
      if (!h.node().equals(node) || h.answer().kernel().isEmpty()) {
        continue;
      }
      KernelResult k = h.answer().kernel().get();
      if (k instanceof KernelResult.BackToOvs b) {
        out = Optional.of(b.packet().srcIp());
      } else if (k instanceof KernelResult.Forwarded f && !f.egressSource().isEmpty()) {
        out = Optional.of(f.egressSource());
      }
    }
    return out;
  }
}
