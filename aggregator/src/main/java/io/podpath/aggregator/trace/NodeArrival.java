package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.model.KernelResult;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.aggregator.model.Outcome;
import io.podpath.aggregator.model.TracedPacket;
import java.util.List;
import java.util.Optional;

/**
 * A packet that leaves a node for the underlay addressed to another node's own address (its
 * InternalIP): it is no packet leaving the cluster, it arrives at that node's uplink and meets its
 * kernel (PREROUTING, the local route, rp_filter, INPUT). The trace goes on there as an arrival
 * from outside (HostIngress UPLINK) with the source the sending node gave it (its SNAT, if any).
 */
final class NodeArrival {
  private NodeArrival() {}

  /** Where the packet goes on, as which query, and the note saying so. */
  record Next(String node, NodeQuery query, String note) {}

  /**
   * The next hop when {@code answer} sends the packet out of {@code node} (its kernel routes it out
   * of a device that is not OVS, or OVS outputs it to a port of the underlay) to another node's
   * address; empty otherwise.
   */
  static Optional<Next> after(
      Inventory inventory, String node, NodeQuery query, NodeAnswer answer) {
    if (answer.kernel().isPresent()) {
      return answer.kernel().get() instanceof KernelResult.Forwarded f
          ? after(inventory, node, node + " via " + f.device(), query, routedOut(query.packet(), f))
          : Optional.empty();
    }
    return answer.outcome() instanceof Outcome.LeavesOvs l
        ? after(inventory, node, node + " via port " + l.portName(), query, query.packet())
        : Optional.empty();
  }

  /**
   * The next hop of {@code leaving} (the packet as it leaves {@code from} {@code via} a device that
   * is not OVS or by an OVS port to the underlay), or empty when it is addressed to no other node.
   */
  static Optional<Next> after(
      Inventory inventory, String from, String via, NodeQuery query, TracedPacket leaving) {
    Optional<NodeInfo> to = owner(inventory, leaving.dstIp()).filter(n -> !n.name().equals(from));
    if (to.isEmpty()) {
      return Optional.empty();
    }
    NodeQuery next =
        new NodeQuery(
            new NodeQuery.FromUplink(""),
            leaving,
            query.reply(),
            query.includeRaw(),
            query.includeConntrackEntries());
    String note =
        "the packet leaves "
            + via
            + " for "
            + leaving.dstIp()
            + ", the address of node "
            + to.get().name()
            + ": traced on in "
            + to.get().name()
            + "'s kernel as arriving at its uplink from "
            + leaving.srcIp();
    return Optional.of(new Next(to.get().name(), next, note));
  }

  /** The node one of whose InternalIPs (either family) {@code ip} is. */
  static Optional<NodeInfo> owner(Inventory inventory, String ip) {
    if (ip.isEmpty()) {
      return Optional.empty();
    }
    return inventory.nodes().stream().filter(n -> n.internalIps().contains(ip)).findFirst();
  }

  /** The packet as it leaves a node whose kernel routed it out (with the kernel's SNAT source). */
  static TracedPacket routedOut(TracedPacket p, KernelResult.Forwarded f) {
    return f.egressSource().isEmpty() || f.egressSource().equals(p.srcIp())
        ? p
        : p.withSource(f.egressSource(), p.srcPort());
  }

  /**
   * How the forward packet arrived where its last hop took it: its source then (the last SNAT a
   * kernel on the way applied) and the node that applied it (empty when none did).
   */
  record Arrival(String srcIp, Optional<String> natNode) {}

  /** The arrival of {@code forward}'s packet at its last hop's node, sent from {@code srcIp}. */
  static Arrival arrival(List<Hop> hops, String srcIp) {
    String src = srcIp;
    Optional<String> natNode = Optional.empty();
    for (int i = 0; i < hops.size() - 1; i++) {
      Hop h = hops.get(i);
      Optional<KernelResult> k = h.answer().kernel();
      String now = src;
      if (k.isPresent() && k.get() instanceof KernelResult.BackToOvs b) {
        now = b.packet().srcIp().isEmpty() ? src : b.packet().srcIp();
      } else if (k.isPresent() && k.get() instanceof KernelResult.Forwarded f) {
        now = f.egressSource().isEmpty() ? src : f.egressSource();
      }
      if (!now.equals(src)) {
        natNode = Optional.of(h.node());
        src = now;
      }
    }
    return new Arrival(src, natNode);
  }
}
