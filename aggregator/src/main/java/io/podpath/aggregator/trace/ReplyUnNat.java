package io.podpath.aggregator.trace;

import io.podpath.aggregator.model.KernelResult;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.aggregator.model.Outcome;
import io.podpath.aggregator.model.TracedPacket;
import io.podpath.common.HostPort;
import java.util.Optional;

/**
 * The reply of a connection a node NATed on the way in (Goal.UnNat): its kernel would deliver the
 * reply to its own address (the SNAT address), but conntrack reverses the NAT first. The trace goes
 * on in that node's kernel from the port the reply came in by, addressed to the original source
 * (the destination half of the reverse NAT, before routing); once the kernel hands it back to OVS,
 * its source becomes the address the outside host sent to (the source half, after POSTROUTING).
 */
final class ReplyUnNat {
  private ReplyUnNat() {}

  /** The query that continues the reply after the reverse NAT, or empty when it does not apply. */
  static Optional<NodeQuery> next(
      DirectionRun run, String node, NodeQuery query, Outcome o, KernelResult k) {
    Optional<Goal.UnNat> u = run.goal.unNat();
    if (run.unNatted
        || u.isEmpty()
        || !(k instanceof KernelResult.DeliveredLocal)
        || !node.equals(u.get().node())
        || !query.packet().dstIp().equals(u.get().natIp())) {
      return Optional.empty();
    }
    run.unNatted = true;
    Goal.UnNat n = u.get();
    run.notes.add(
        "conntrack of "
            + node
            + " reverses the connection's NAT: the reply to "
            + HostPort.of(n.natIp(), query.packet().dstPort())
            + " goes on to "
            + HostPort.of(n.origIp(), n.origPort())
            + " from "
            + HostPort.of(n.vipIp(), n.vipPort())
            + "; traced on in "
            + node
            + "'s kernel");
    String device = o instanceof Outcome.LeavesOvs l ? l.portName() : "";
    return Optional.of(
        new NodeQuery(
            new NodeQuery.FromUplink(device),
            query.packet().withDestination(n.origIp(), n.origPort()),
            query.reply(),
            query.includeRaw(),
            query.includeConntrackEntries()));
  }

  /** The packet the kernel hands back to OVS, with the reverse NAT's source once it applies. */
  static TracedPacket source(DirectionRun run, TracedPacket p) {
    if (!run.unNatted || run.goal.unNat().isEmpty()) {
      return p;
    }
    Goal.UnNat n = run.goal.unNat().get();
    return p.withSource(n.vipIp(), n.vipPort());
  }
}
