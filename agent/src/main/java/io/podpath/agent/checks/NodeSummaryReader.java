package io.podpath.agent.checks;

import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ip.IpArgv;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.pod.PodKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The facts a sweep's cluster checks need from this node, with GetNode's meaning (pod MTU = most
 * common MTU of the pods' host veths, underlay MTU = MTU of the link holding the encap IP), read in
 * one OVSDB snapshot and one {@code ip -j addr show}.
 */
final class NodeSummaryReader {
  private NodeSummaryReader() {}

  /** What was read; {@code error} says what could not be (the rest is then partial). */
  record Summary(
      String encapIp,
      int underlayMtu,
      int podMtu,
      TunnelPorts tunnels,
      String error,
      int tunnelPodMtu,
      Optional<SmallPod> smallPod) {
    Summary(
        String encapIp,
        int underlayMtu,
        int podMtu,
        TunnelPorts tunnels,
        String error,
        int tunnelPodMtu) {
      this(encapIp, underlayMtu, podMtu, tunnels, error, tunnelPodMtu, Optional.empty());
    }
  }

  /** A local pod whose own eth0 MTU is below the node's pod MTU. */
  record SmallPod(PodKey pod, int mtu) {}

  static Summary read(CheckContext ctx) {
    OvsSnapshot snap;
    try {
      snap = ctx.ovs().snapshot();
    } catch (AccessException e) {
      return new Summary(
          "",
          0,
          0,
          TunnelPorts.of(new OvsSnapshot(List.of(), List.of(), Map.of())),
          "ovsdb unreachable: " + e.getMessage(),
          0);
    }
    TunnelPorts tunnels;
    try {
      tunnels = TunnelPorts.of(ctx, snap);
    } catch (AccessException e) {
      tunnels = TunnelPorts.of(snap); // flows unreadable: a flow-based port counts as "flow"
    }
    String encapIp = snap.encapIp().orElse("");
    try {
      CommandOutput out = ctx.host().run(IpArgv.addrShow());
      if (!out.ok()) {
        throw Reads.failed(out);
      }
      List<IpLink> links = IpJson.links(out.stdout());
      int tunnelPodMtu =
          TunnelBudget.of(ctx, new Findings("summary"), snap, links).stream()
              .mapToInt(TunnelBudget::allowed)
              .min()
              .orElse(0);
      int podMtu = podMtu(snap, links);
      return new Summary(
          encapIp,
          underlayMtu(links, encapIp),
          podMtu,
          tunnels,
          "",
          tunnelPodMtu,
          smallPod(ctx, podMtu));
    } catch (AccessException | ProtocolException e) {
      return new Summary(encapIp, 0, 0, tunnels, "links unreadable: " + e.getMessage(), 0);
    }
  }

  /** {@code links} from {@code ip -j addr}: the MTU of the link holding the encap IP. */
  static int underlayMtu(List<IpLink> links, String encapIp) {
    if (encapIp.isEmpty()) {
      return 0;
    }
    return IpLink.holding(links, encapIp).map(IpLink::mtu).orElse(0);
  }

  /** The most common MTU of host veths OVS knows as pod ports; the larger one on a tie. */
  static int podMtu(OvsSnapshot snap, List<IpLink> links) {
    return IpLink.commonMtu(
        links,
        snap.interfaces().stream()
            .filter(i -> !i.ifaceId().isEmpty() && i.type().isEmpty())
            .map(OvsSnapshot.Iface::name)
            .toList());
  }

  /**
   * The local pod whose own eth0 is smallest, when below {@code podMtu}: the host veths give the
   * node's pod MTU, but a pod whose eth0 is smaller drops what its veth delivers (the receiving hop
   * of an MTU blackhole). Read in each pod's namespace (proven once per run); a pod that cannot be
   * read is left out.
   */
  static Optional<SmallPod> smallPod(CheckContext ctx, int podMtu) {
    SmallPod least = null;
    for (ClusterFacts.LocalPod p : ctx.cluster().localPods()) {
      try {
        CommandOutput o = ctx.pods().run(p.pod(), IpArgv.linkShow("eth0"));
        if (!o.ok()) {
          continue;
        }
        Optional<IpLink> eth0 = IpJson.links(o.stdout()).stream().findFirst();
        if (eth0.isPresent()
            && eth0.get().mtu() < podMtu
            && (least == null || eth0.get().mtu() < least.mtu())) {
          least = new SmallPod(p.pod(), eth0.get().mtu());
        }
      } catch (AccessException | ProtocolException e) {
        // not readable: pod-plumbing reports that pod
      }
    }
    return Optional.ofNullable(least);
  }
}
