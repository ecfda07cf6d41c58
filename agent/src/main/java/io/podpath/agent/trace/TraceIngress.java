package io.podpath.agent.trace;

import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.errors.NotFoundException;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where a TraceNode's packet enters OVS, resolved from the node's OVSDB: a local pod's port (and
 * its MACs), a host-side port, or the tunnel port from a peer.
 */
final class TraceIngress {
  private TraceIngress() {}

  /** The pod's interface by the OVN logical port its CNI names it ({@code ifaceId}). */
  static OvsInterface podInterface(OvsState ovs, PodName pod, String ifaceId) {
    return ovs.interfacesByIfaceId(ifaceId).stream()
        .filter(i -> i.ofport().orElse(-1) > 0)
        .min(Comparator.comparing(OvsInterface::name))
        .orElseThrow(
            () ->
                new NotFoundException(
                    "no local pod "
                        + pod
                        + " on this node (no OVS interface with external_ids:iface-id="
                        + ifaceId
                        + ")"));
  }

  /** The host-side port the request names, or an error saying why it is none. */
  static HostSidePorts.Port hostPort(OvsState ovs, TraceSpec.FromHostPort hp) {
    return HostSidePorts.of(ovs)
        .at(hp.bridge(), hp.ofport())
        .orElseThrow(
            () ->
                new InvalidArgumentException(
                    "port",
                    "ofport "
                        + hp.ofport()
                        + " of bridge "
                        + hp.bridge()
                        + " is not a host-side (internal) OVS port on this node"));
  }

  /**
   * A packet the kernel sends into OVS leaves the host-side device with that device's MAC; the
   * destination MAC is the kernel's neighbour entry, which the request may carry.
   */
  static PacketHeaders hostPortMacs(
      PacketHeaders p,
      OvsState ovs,
      HostSidePorts.Port port,
      Optional<OvnLink.Session> session,
      List<TraceFinding> findings) {
    Optional<OvsInterface> iface =
        ovs.interfaces().stream().filter(i -> i.name().equals(port.name())).findFirst();
    Optional<MacAddress> src =
        p.srcMac().or(() -> iface.flatMap(i -> MacAddress.tryParse(i.macInUse())));
    // The kernel had no neighbour entry (it would ARP first): the MAC the ARP would learn is the
    // one OVN's logical switch of this port gives the destination (a port on the switch, or the
    // router behind it).
    String logicalPort = iface.map(i -> i.externalIds().getOrDefault("iface-id", "")).orElse("");
    Optional<MacAddress> dst =
        p.dstMac()
            .or(
                () ->
                    session.isEmpty() || logicalPort.isEmpty()
                        ? Optional.empty()
                        : session
                            .get()
                            .nextHopMac(logicalPort, p.dst())
                            .flatMap(MacAddress::tryParse));
    if (dst.isPresent() && p.dstMac().isEmpty()) {
      findings.add(
          TraceFinding.info(
              "dst-mac-from-ovn",
              "next-hop MAC "
                  + dst.get()
                  + " for "
                  + port.name()
                  + " from OVN's logical switch of "
                  + logicalPort));
      return p.withMacs(src, dst);
    }
    if (p.dstMac().isEmpty()) {
      findings.add(
          TraceFinding.warning(
              "dst-mac-unknown",
              "no next-hop MAC given for the packet from "
                  + port.name()
                  + "; traced with dl_dst unset"));
    }
    return p.withMacs(src, p.dstMac());
  }

  /** The tunnel port whose remote end is {@code remote} (or a flow-based one as a last resort). */
  static int tunnelPort(OvsState ovs, String bridge, String remote) {
    List<OvsInterface> tunnels =
        ovs.interfaces().stream()
            .filter(OvsInterface::isTunnel)
            .filter(i -> i.ofport().orElse(-1) > 0)
            .filter(i -> onBridge(ovs, i, bridge))
            .toList();
    return tunnels.stream()
        .filter(i -> remote.equals(i.options().get("remote_ip")))
        .findFirst()
        .or(
            () ->
                tunnels.stream()
                    .filter(i -> "flow".equals(i.options().get("remote_ip")))
                    .findFirst())
        .map(i -> (int) i.ofport().orElseThrow())
        .orElseThrow(
            () ->
                new NotFoundException(
                    "no tunnel port on " + bridge + " with remote_ip " + remote + " on this node"));
  }

  private static boolean onBridge(OvsState ovs, OvsInterface i, String bridge) {
    return ovs.portOf(i).flatMap(ovs::bridgeOf).map(b -> b.name().equals(bridge)).orElse(false);
  }

  static PacketHeaders fillMacs(
      PacketHeaders p,
      PodName pod,
      String ifaceId,
      OvsInterface iface,
      Optional<OvnLink.Session> session,
      List<TraceFinding> findings) {
    Optional<MacAddress> src = p.srcMac();
    Optional<MacAddress> dst = p.dstMac();
    if (src.isEmpty() && session.isPresent()) {
      src = session.get().podMac(ifaceId).flatMap(MacAddress::tryParse);
    }
    if (src.isEmpty()) {
      // OVN-Kubernetes writes attached_mac; some CNIs attached-mac
      src =
          MacAddress.tryParse(iface.externalIds().get("attached_mac"))
              .or(() -> MacAddress.tryParse(iface.externalIds().get("attached-mac")));
    }
    if (dst.isEmpty() && session.isPresent()) {
      dst = session.get().nextHopMac(ifaceId, p.dst()).flatMap(MacAddress::tryParse);
    }
    checkSourceIp(p, pod, ifaceId, iface, session, findings);
    if (src.isEmpty()) {
      findings.add(
          TraceFinding.warning(
              "src-mac-unknown", "no MAC known for " + pod + "; traced with dl_src unset"));
    }
    if (dst.isEmpty()) {
      findings.add(
          TraceFinding.warning(
              "dst-mac-unknown",
              "no next-hop MAC known for "
                  + IpLiteral.format(p.dst())
                  + "; traced with dl_dst unset"));
    }
    return p.withMacs(src, dst);
  }

  /** A source IP the pod does not own is dropped by port security: say so up front. */
  private static void checkSourceIp(
      PacketHeaders p,
      PodName pod,
      String ifaceId,
      OvsInterface iface,
      Optional<OvnLink.Session> session,
      List<TraceFinding> findings) {
    List<String> owned = new ArrayList<>();
    session.ifPresent(s -> owned.addAll(s.podIps(ifaceId)));
    // OVN-Kubernetes also records them on the interface: ip_addresses=10.244.1.4/24[,fd00::4/64]
    for (String a : iface.externalIds().getOrDefault("ip_addresses", "").split(",")) {
      String ip = a.contains("/") ? a.substring(0, a.indexOf('/')).strip() : a.strip();
      IpLiteral.tryParse(ip).ifPresent(x -> owned.add(x.getHostAddress()));
    }
    if (!owned.isEmpty() && !owned.contains(p.src().getHostAddress())) {
      findings.add(
          TraceFinding.warning(
              "src-ip-not-pod",
              "packet.src_ip "
                  + IpLiteral.format(p.src())
                  + " is not an address of pod "
                  + pod
                  + " "
                  + owned.stream().distinct().toList()
                  + ": port security drops such packets"));
    }
  }
}
