package io.podpath.agent.trace;

import io.podpath.agent.AgentContext;
import io.podpath.agent.cni.Cni;
import io.podpath.agent.cni.CniProfile;
import io.podpath.agent.cni.DropExplainer;
import io.podpath.agent.cni.DropExplanation;
import io.podpath.agent.errors.FailedPreconditionException;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.kernel.IpAddr;
import io.podpath.agent.kernel.KernelHopOutcome;
import io.podpath.agent.node.NodeInspector;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import io.podpath.agent.pod.PodFacts;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where a trace from a local pod starts, and what the node's CNI profile says about where it ends:
 * pods of OVN CNIs (OVN-Kubernetes, Kube-OVN) by the iface-id their CNI gives them on the
 * integration bridge (MACs from OVN); pods of the other CNIs by their IP, on the profile's pod
 * bridge, with the MACs their own kernel would put on the packet; a drop in such a CNI's pipeline
 * explained by its table's role. Delivery to a pod that OVN-Kubernetes' iface-id does not name is
 * proven by the destination IP in the namespace behind the port.
 */
final class PodIngress {
  private final UnnamedPods unnamed;

  PodIngress(UnnamedPods unnamed) {
    this.unnamed = unnamed;
  }

  /** Where the packet enters: the bridge, the pod's ofport, the packet with MACs, the pod end. */
  record Start(String bridge, int ofport, PacketHeaders packet, PodEdges.Source source) {}

  /**
   * The node's CNI profile; empty (with a finding) when none or several match, and the trace then
   * lays the node out as OVN-Kubernetes does.
   */
  static Optional<CniProfile> profile(AgentContext ctx, OvsState ovs, List<TraceFinding> findings) {
    try {
      return Optional.of(ctx.cniOf(ovs).profile());
    } catch (FailedPreconditionException e) {
      findings.add(
          TraceFinding.warning(
              "cni-unknown",
              e.getMessage() + " Traced as an OVN-Kubernetes node (pods by iface-id)."));
      return Optional.empty();
    }
  }

  /** The bridge a trace starts on: OVN's integration bridge, else the profile's pod bridge. */
  static String bridge(OvsState ovs, Optional<CniProfile> profile) {
    return profile
        .filter(p -> !p.ovnLogicalFlows())
        .map(CniProfile::podBridge)
        .orElseGet(() -> NodeInspector.integrationBridge(ovs));
  }

  Start start(
      OvsState ovs,
      Optional<CniProfile> profile,
      String bridge,
      PodName pod,
      PacketHeaders p,
      Optional<OvnLink.Session> session,
      List<TraceFinding> findings,
      Duration timeout) {
    // OVN CNIs key the pod's port by its logical port name (OVN-Kubernetes when no profile matched)
    Optional<String> ifaceId =
        profile.isEmpty()
            ? Optional.of(pod.ifaceId())
            : profile.get().ifaceIdOf(pod.namespace(), pod.name());
    if (ifaceId.isPresent()) {
      OvsInterface iface = TraceIngress.podInterface(ovs, pod, ifaceId.get());
      int inPort = (int) iface.ofport().orElse(-1);
      return new Start(
          bridge,
          inPort,
          TraceIngress.fillMacs(p, pod, ifaceId.get(), iface, session, findings),
          new PodEdges.Source(pod, iface.name(), inPort, Optional.empty()));
    }
    // The aggregator sends the pod's own IP as the packet's source: it finds the pod's port.
    PodFacts f = unnamed.source(pod, p.src(), timeout);
    String port = f.ovsPort().filter(x -> !x.isEmpty()).or(f::hostInterface).orElse("");
    Optional<MacAddress> src = p.srcMac().or(() -> f.mac().flatMap(MacAddress::tryParse));
    Optional<MacAddress> dst =
        p.dstMac().or(() -> unnamed.nextHopMac(f, p.src(), p.dst(), timeout, findings));
    if (dst.isEmpty()) {
      findings.add(
          TraceFinding.warning(
              "dst-mac-unknown",
              "pod "
                  + pod
                  + " has no neighbour entry for the next hop toward "
                  + IpLiteral.format(p.dst())
                  + ", and no pod or interface of this node owns it; traced with dl_dst unset"));
    }
    return new Start(
        f.bridge().orElse(""),
        f.ofport().orElse(-1),
        p.withMacs(src, dst),
        new PodEdges.Source(pod, port, f.ofport().orElse(-1), Optional.of(p.src())));
  }

  /**
   * A CNI without pod names in OVSDB: output to a plain port of the pod bridge is a pod's delivery
   * when that port's namespace holds the destination; a drop is explained by the table's role.
   */
  Outcome outcome(
      OvsState ovs,
      Optional<CniProfile> profile,
      Outcome outcome,
      PacketHeaders emitted,
      ParsedTrace parsed,
      Duration timeout) {
    if (profile.isEmpty()) {
      return outcome;
    }
    CniProfile cni = profile.get();
    if (cni.ovnLogicalFlows() && outcome.kind() == Outcome.Kind.DROPPED) {
      return outcome; // explained through OVN's logical flows
    }
    if (outcome.kind() == Outcome.Kind.TUNNEL
        && cni.tunnels().viaFabric()
        && cni.tunnels().portName().equals(outcome.tunnel().map(Outcome.Tunnel::portName))) {
      return outcome.viaFabric();
    }
    if (outcome.kind() == Outcome.Kind.DROPPED && outcome.drop().isPresent()) {
      Optional<DropExplanation> why = DropExplainer.explain(cni, parsed);
      if (why.isPresent()) {
        Outcome.Drop d = outcome.drop().get();
        String text = why.get().describe();
        return outcome.withDrop(
            new Outcome.Drop(d.table(), d.cookie(), text, d.policy(), d.logicalFlow(), ""),
            "dropped: " + text);
      }
      return outcome;
    }
    boolean plainPodPort =
        (outcome.kind() == Outcome.Kind.OTHER_PORT || outcome.kind() == Outcome.Kind.GATEWAY)
            && ovs.interfaceByName(outcome.portName())
                .filter(i -> i.type().isEmpty())
                .filter(i -> cni.podBridge().equals(bridgeOf(ovs, i)))
                .isPresent();
    // OVN-Kubernetes' iface-id names the pod already (LOCAL_POD); every other CNI's pod port is
    // proven by the destination IP in the namespace behind it
    if (!plainPodPort || cni.cni() == Cni.OVN_KUBERNETES) {
      return outcome;
    }
    return unnamed
        .deliveredTo(outcome.portName(), emitted.dst(), timeout)
        .map(
            f ->
                cni.namesPods() && !f.pod().namespace().isEmpty()
                    ? outcome.deliveredToNamedPod(
                        new PodName(f.pod().namespace(), f.pod().name()),
                        IpLiteral.format(emitted.dst()))
                    : outcome.deliveredToPodWithIp(IpLiteral.format(emitted.dst())))
        .orElse(outcome);
  }

  /**
   * A kernel hop back into OVS whose next hop the node's neighbour table does not hold yet: on a
   * non-OVN CNI the MAC the kernel's ARP would get (local owner, else the flows' ARP answer).
   */
  Optional<KernelPart> kernelNextHop(
      Optional<CniProfile> profile,
      Optional<KernelPart> hop,
      List<TraceFinding> findings,
      Duration timeout) {
    if (hop.isEmpty()
        || profile.map(CniProfile::ovnLogicalFlows).orElse(true)
        || hop.get().nextHopMac().isPresent()
        || hop.get().backTo().isEmpty()
        || !(hop.get().hop() instanceof KernelHopOutcome.BackToOvs b)) {
      return hop;
    }
    IpAddr next = b.gateway().orElse(b.packet().dst());
    Optional<MacAddress> mac = unnamed.kernelNextHop(next, hop.get().backTo().get(), timeout);
    if (mac.isEmpty()) {
      return hop;
    }
    findings.removeIf(f -> f.code().equals("kernel-neighbour-unresolved"));
    findings.add(
        TraceFinding.info(
            "kernel-next-hop-mac",
            "no neighbour entry for "
                + next
                + " on "
                + b.device()
                + " yet: the kernel's ARP would get "
                + mac.get()
                + " (the local owner of the address, or the answer the node's flows give)"));
    KernelPart h = hop.get();
    return Optional.of(
        new KernelPart(h.enteredBy(), h.hop(), h.backTo(), Optional.of(mac.get().toString())));
  }

  private static String bridgeOf(OvsState ovs, OvsInterface i) {
    return ovs.portOf(i).flatMap(ovs::bridgeOf).map(OvsState.OvsBridge::name).orElse("");
  }
}
