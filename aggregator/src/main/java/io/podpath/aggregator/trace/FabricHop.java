package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.model.Outcome;
import java.util.Optional;

/**
 * A tunnel that ends at no node but at the fabric (the ACI CNI's VXLAN to the leaf's VTEP): the
 * fabric hands the packet to the node that holds its inner destination, encapsulated again from the
 * VTEP with the same VNI. podpath does not trace the fabric; it continues at that node.
 */
final class FabricHop {
  private FabricHop() {}

  /** Where the packet goes on after the fabric, and as which tunnel arrival. */
  record Next(NodeInfo node, String tunSrc, String tunDst, String note) {}

  /**
   * The node owning the inner destination (a pod's node, or a node by its own IP) when the tunnel's
   * agent marks it as sent to the fabric ({@code via_fabric}, from the CNI profile) and its remote
   * IP is no node's; empty otherwise (the ordinary stitch) or when nobody owns the destination.
   */
  static Optional<Next> after(Inventory inventory, String from, Outcome.ToTunnel t) {
    if (!t.viaFabric()
        || inventory.nodeByEncapIp(t.remoteIp()).isPresent()
        || t.inner().isEmpty()) {
      return Optional.empty();
    }
    String dst = t.inner().get().dstIp();
    Optional<NodeInfo> owner =
        inventory
            .podByIp(dst)
            .filter(p -> !p.hostNetwork())
            .map(PodInfo::node)
            .flatMap(inventory::node)
            .or(
                () ->
                    inventory.nodes().stream()
                        .filter(n -> n.internalIps().contains(dst) || n.encapIp().equals(dst))
                        .findFirst());
    return owner
        .filter(n -> !n.encapIp().isEmpty())
        .map(
            n ->
                new Next(
                    n,
                    t.remoteIp(),
                    n.encapIp(),
                    "the packet leaves "
                        + from
                        + " by tunnel "
                        + t.portName()
                        + " to "
                        + t.remoteIp()
                        + ", which is no node's IP (the fabric's VTEP); "
                        + n.name()
                        + " holds the inner destination "
                        + dst
                        + ", so the trace continues there as arriving from "
                        + t.remoteIp()
                        + " with the same VNI (the fabric itself is not traced, and its rewrite"
                        + " of the inner MACs and TTL is not applied)"));
  }

  /**
   * A packet for outside the cluster (the goal is no pod) handed to the fabric: its inner
   * destination is no pod's and no node's, so the fabric routes it out (ACI's L3Out).
   */
  static Optional<String> leavesCluster(
      Inventory inventory, Goal goal, String from, Outcome.ToTunnel t) {
    if (!t.viaFabric()
        || goal.pod().isPresent()
        || inventory.nodeByEncapIp(t.remoteIp()).isPresent()
        || t.inner().isEmpty()) {
      return Optional.empty();
    }
    String dst = t.inner().get().dstIp();
    boolean inside =
        inventory.podByIp(dst).isPresent()
            || inventory.nodes().stream()
                .anyMatch(n -> n.internalIps().contains(dst) || n.encapIp().equals(dst));
    return inside
        ? Optional.empty()
        : Optional.of(
            from + " via tunnel " + t.portName() + " to the fabric's VTEP " + t.remoteIp());
  }
}
