package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.model.KernelResult;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.aggregator.model.TracedPacket;
import io.podpath.common.HostPort;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Both directions of a trace whose source is an address outside the cluster (SRC ip:ADDRESS that is
 * no pod's) entering at a node: the node named by {@code --ingress-node}, else the node of a
 * NodePort destination. The forward packet arrives at that node's uplink (the agent's HostIngress
 * UPLINK: the interface the node routes the source by, then its kernel or the uplink bridge's
 * flows); the reply goes from the destination pod back to the outside address and must leave by the
 * node it came in at.
 */
final class OutsideSource {

  private OutsideSource() {}

  /** The outside source and the node it enters at, or empty when the source is a pod. */
  record Entry(String ip, NodeInfo node) {
    String label() {
      return "ip:" + ip + " (entering at " + node.name() + ")";
    }
  }

  /**
   * The outside source entering at its node(s), or empty when the source is a pod. A Service's
   * external address (ExternalIP, load balancer ingress) without {@code --ingress-node} enters at
   * every node: each node's service proxy answers it, and which node the outside network routes it
   * to is not the cluster's to know.
   */
  static List<Entry> entries(TraceQuery q, Inventory inventory) {
    if (!(q.source() instanceof EndpointSpec.Ip src)) {
      return List.of();
    }
    Optional<PodInfo> pod = inventory.podByIp(src.ip());
    if (pod.isPresent()) {
      if (q.ingressNode().isPresent()) {
        throw TraceException.invalid(
            "ingress_node: source "
                + src.ip()
                + " is pod "
                + pod.get().ref()
                + "'s address, inside the cluster; trace from the pod without --ingress-node");
      }
      return List.of();
    }
    Optional<String> name =
        q.ingressNode()
            .or(
                () ->
                    q.destination() instanceof EndpointSpec.Node n
                        ? Optional.of(n.name())
                        : Optional.empty());
    if (name.isEmpty()
        && q.destination() instanceof EndpointSpec.Ip dst
        && OutsideTargets.external(inventory, dst.ip()).isPresent()) {
      List<Entry> all =
          inventory.nodes().stream()
              .sorted(Comparator.comparing(NodeInfo::name))
              .map(n -> new Entry(src.ip(), n))
              .toList();
      if (all.isEmpty()) {
        throw TraceException.precondition("no node in the inventory to enter at");
      }
      return all;
    }
    String entry =
        name.orElseThrow(
            () ->
                TraceException.invalid(
                    "source: "
                        + src.ip()
                        + " is no pod IP, so it is outside the cluster; name the node it"
                        + " enters at with --ingress-node NODE (a NodePort destination"
                        + " node/NAME:PORT or a Service's ExternalIP or load balancer address"
                        + " names it itself)"));
    NodeInfo node =
        inventory
            .node(entry)
            .orElseThrow(() -> TraceException.notFound("ingress node " + entry + " not found"));
    return List.of(new Entry(src.ip(), node));
  }

  /** Said on each forward when the trace enters at every node. */
  static String everyNodeNote(String address) {
    return address
        + " is a Service's external address, which every node's service proxy answers"
        + " (kube-proxy and OVN-Kubernetes program it on each node): the node it enters at is the"
        + " outside network's routing, so podpath traces it entering at each node (--ingress-node"
        + " NODE picks one)";
  }

  static Plan.Traceable forward(TraceQuery q, Entry e, Destination d) {
    String to = d.vip().map(v -> d.label() + " (via " + v + ")").orElse(d.label());
    Goal goal =
        new Goal(e.label(), to, d.pod(), d.vip().map(v -> new Goal.Dnat(v, d.ip(), d.port())));
    TracedPacket packet =
        Plan.packet(q, e.ip(), d.sendIp(), q.effectiveSrcPort(), d.sendPort(), q.icmpType());
    NodeQuery first =
        new NodeQuery(
            new NodeQuery.FromUplink(""),
            packet,
            false,
            q.includeRaw(),
            q.includeConntrackEntries());
    // Through a NodePort the node's own NAT may pick the backend at random (kube-proxy's
    // statistic): the agent follows the way to this destination's endpoint.
    if (d.vip().isPresent() && d.pod().isPresent()) {
      first = first.withLbBackend(new NodeQuery.LbBackend(d.ip(), d.port()));
    }
    return new Plan.Traceable(goal, e.node().name(), first, true);
  }

  /**
   * Where the ingress node's kernel sent the forward packet from after its NAT (a NodePort's SNAT),
   * when that changed the outside source: what the destination pod answers.
   */
  static Optional<TracedPacket> natted(Entry e, DirectionResult forward) {
    for (Hop h : forward.hops()) {
      if (h.node().equals(e.node().name())
          && h.answer().kernel().isPresent()
          && h.answer().kernel().get() instanceof KernelResult.BackToOvs b
          && !b.packet().srcIp().equals(e.ip())) {
        return Optional.of(b.packet());
      }
    }
    return Optional.empty();
  }

  /** The reply from the destination pod back to the outside address. */
  static Plan.Leg reply(
      TraceQuery q,
      Entry e,
      Destination d,
      DirectionResult forward,
      Optional<String> noLocalEndpoint) {
    int srcPort = q.effectiveSrcPort();
    Optional<TracedPacket> natted = d.vip().isPresent() ? natted(e, forward) : Optional.empty();
    Optional<Goal.UnNat> unNat =
        natted.map(
            n ->
                new Goal.UnNat(
                    e.node().name(),
                    n.srcIp(),
                    e.ip(),
                    srcPort,
                    d.vip().get().ip(),
                    d.vip().get().port()));
    Goal goal =
        new Goal(
            d.label(),
            "ip:" + HostPort.of(e.ip(), q.hasPorts() ? srcPort : 0),
            Optional.empty(),
            Optional.empty(),
            unNat);
    OptionalInt icmpType = Plan.echoReply(q, d.ip());
    // After the node's SNAT the pod answers the address the packet came from there.
    TracedPacket packet =
        natted
            .map(n -> Plan.packet(q, d.ip(), n.srcIp(), d.port(), n.srcPort(), icmpType))
            .orElseGet(() -> Plan.packet(q, d.ip(), e.ip(), d.port(), srcPort, icmpType));
    if (d.pod().isEmpty() && noLocalEndpoint.isPresent()) {
      return new Plan.Untraceable(
          goal, packet, "no endpoint answers at " + e.node().name() + ": " + noLocalEndpoint.get());
    }
    if (d.pod().isEmpty()) {
      return new Plan.Untraceable(
          goal,
          packet,
          "the reply starts at the pod "
              + e.node().name()
              + "'s NAT picked, which podpath does not know (no Service has this NodePort)");
    }
    Optional<Plan.Untraceable> none = Plan.noReply(q, goal, packet);
    if (none.isPresent()) {
      return none.get();
    }
    return Plan.replyFromPod(q, goal, d.pod().get(), packet);
  }

  /**
   * The forward of a Service's NodePort or external address at a node without a local endpoint
   * under externalTrafficPolicy Local: a drop there is that policy's (said in its summary).
   */
  static DirectionResult noLocalEndpoint(DirectionResult forward, String why) {
    if (forward instanceof DirectionResult.Dropped d) {
      return new DirectionResult.Dropped(
          d.summary() + " (" + why + ")", d.hops(), d.packet(), d.notes(), d.node(), d.drop());
    }
    return forward.withNote(why);
  }

  /**
   * A reply that leaves the cluster by another node than the one the connection came in at meets a
   * conntrack that never saw the connection (and an outside host that expects the answer from the
   * way it sent): podpath does not claim it arrives.
   */
  static DirectionResult checkExit(Entry e, Plan.Leg leg, DirectionResult reply) {
    if (!(reply instanceof DirectionResult.LeftCluster left) || left.hops().isEmpty()) {
      return reply;
    }
    String exit = left.hops().get(left.hops().size() - 1).node();
    if (exit.equals(e.node().name())) {
      return reply;
    }
    String reason =
        "the reply leaves the cluster by "
            + exit
            + ", but the connection came in at "
            + e.node().name()
            + ": "
            + exit
            + "'s conntrack never saw it (an asymmetric path), so podpath does not claim the"
            + " outside host gets it";
    return new DirectionResult.Inconclusive(
        Summaries.inconclusive(leg.goal(), reason),
        left.hops(),
        left.packet(),
        left.notes(),
        reason);
  }
}
