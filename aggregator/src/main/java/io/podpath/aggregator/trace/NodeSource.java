package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.model.KernelResult;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.aggregator.model.TracedPacket;
import io.podpath.common.HostPort;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Both directions of a trace whose source is a node's own network stack (SRC node/NAME): the
 * forward packet starts in the node's kernel, which picks its source address (the route's preferred
 * source); the reply goes back to that address.
 */
final class NodeSource {

  private NodeSource() {}

  static Plan.Traceable forward(TraceQuery q, NodeInfo node, Destination d) {
    String to = d.vip().map(v -> d.label() + " (via " + v + ")").orElse(d.label());
    Goal goal =
        new Goal(
            "node/" + node.name(),
            to,
            d.pod(),
            d.vip().map(v -> new Goal.Dnat(v, d.ip(), d.port())));
    // No source address: the node's kernel chooses it (the agent's HostIngress LOCAL).
    TracedPacket packet =
        Plan.packet(q, "", d.sendIp(), q.effectiveSrcPort(), d.sendPort(), q.icmpType());
    NodeQuery first =
        new NodeQuery(
            new NodeQuery.FromHost(), packet, false, q.includeRaw(), q.includeConntrackEntries());
    // A Service or NodePort the node's own NAT may balance at random (kube-proxy's statistic):
    // the agent follows the way to this destination's endpoint.
    if (d.vip().isPresent() && d.pod().isPresent()) {
      first = first.withLbBackend(new NodeQuery.LbBackend(d.ip(), d.port()));
    }
    return new Plan.Traceable(goal, node.name(), first, true);
  }

  /**
   * The source the node's kernel chose for the forward packet: the packet it handed to OVS, or the
   * source it routed out with.
   */
  static Optional<String> chosenSource(DirectionResult forward) {
    if (forward.hops().isEmpty()) {
      return Optional.empty();
    }
    Optional<KernelResult> k = forward.hops().get(0).answer().kernel();
    if (k.isPresent() && k.get() instanceof KernelResult.BackToOvs b) {
      return Optional.of(b.packet().srcIp()).filter(s -> !s.isEmpty());
    }
    if (k.isPresent() && k.get() instanceof KernelResult.Forwarded f) {
      return Optional.of(f.egressSource()).filter(s -> !s.isEmpty());
    }
    return Optional.empty();
  }

  /** The reply from the destination back to the source the kernel chose (see chosenSource). */
  static Plan.Leg reply(
      TraceQuery q, NodeInfo node, Destination d, DirectionResult forward, List<String> notes) {
    Optional<String> chosen = chosenSource(forward);
    String srcIp = chosen.orElse(node.internalIp());
    if (chosen.isEmpty()) {
      notes.add(
          "the kernel of "
              + node.name()
              + " chose no source for the forward packet (it did not send it); the reply is"
              + " traced to its InternalIP "
              + node.internalIp());
    }
    int srcPort = q.effectiveSrcPort();
    Goal goal =
        new Goal(
            d.label(),
            "node/" + node.name() + " " + HostPort.of(srcIp, q.hasPorts() ? srcPort : 0),
            Optional.empty(),
            Optional.empty());
    OptionalInt icmpType = Plan.echoReply(q, d.ip());
    TracedPacket packet = Plan.packet(q, d.ip(), srcIp, d.port(), srcPort, icmpType);
    if (d.pod().isEmpty()) {
      // From outside: it arrives at this node's uplink (the interface it routes the address by).
      return new Plan.Traceable(
          goal,
          node.name(),
          new NodeQuery(
              new NodeQuery.FromUplink(""),
              packet,
              true,
              q.includeRaw(),
              q.includeConntrackEntries()),
          false);
    }
    Optional<Plan.Untraceable> none = Plan.noReply(q, goal, packet);
    if (none.isPresent()) {
      return none.get();
    }
    return Plan.replyFromPod(q, goal, d.pod().get(), packet);
  }
}
