package io.podpath.agent.node;

import com.google.common.net.InetAddresses;
import io.podpath.agent.AgentContext;
import io.podpath.agent.cni.CniProfile;
import io.podpath.agent.cni.Detection;
import io.podpath.agent.errors.AgentException;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.errors.FailedPreconditionException;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** GetNode: the node's OVS/OVN identity, bridges, tunnels and MTUs, read from OVSDB and kernel. */
public final class NodeInspector {
  private final AgentContext ctx;

  public NodeInspector(AgentContext ctx) {
    this.ctx = ctx;
  }

  public NodeFacts inspect(Duration budget) {
    Instant deadline = Instant.now().plus(budget);
    OvsState ovs = OvsState.read(ctx.ovsdb(), budget);
    Map<String, String> ext = ovs.system().externalIds();
    List<NodeFacts.BridgeFacts> bridges =
        ovs.bridges().stream()
            .sorted(Comparator.comparing(OvsState.OvsBridge::name))
            .map(b -> new NodeFacts.BridgeFacts(b.name(), b.datapathType(), b.portUuids().size()))
            .toList();
    List<NodeFacts.TunnelFacts> tunnels = tunnels(ovs);
    String encapIp = ext.getOrDefault("ovn-encap-ip", "");
    if (encapIp.isEmpty()) {
      encapIp = tunnels.stream().flatMap(t -> t.localIp().stream()).findFirst().orElse("");
    }
    if (encapIp.isEmpty()) {
      encapIp = sourceTowardsPeers(tunnels, left(deadline));
    }
    String encapType = ext.getOrDefault("ovn-encap-type", "");
    if (encapType.isEmpty() && !tunnels.isEmpty()) {
      encapType = tunnels.get(0).type();
    }
    List<IpLink> hostLinks = ctx.ip().addrs(ctx.hostNetns(), left(deadline));
    Optional<CniProfile> profile = Optional.empty();
    List<String> evidence;
    try {
      Detection d = ctx.cniOf(ovs);
      profile = Optional.of(d.profile());
      evidence = d.evidence();
    } catch (FailedPreconditionException e) {
      evidence = List.of(e.getMessage()); // GetNode still answers: the rest is CNI-neutral
    }
    String integration = profile.map(CniProfile::podBridge).orElseGet(() -> integrationBridge(ovs));
    return NodeFacts.builder(ctx.nodeName(), integration)
        .ovsVersion(nonEmpty(ovsVersion(ovs, left(deadline))))
        .ovnVersion(nonEmpty(ovnVersion(left(deadline))))
        .bridges(bridges)
        .tunnels(tunnels)
        .encapIp(nonEmpty(encapIp))
        .encapType(nonEmpty(encapType))
        .underlayMtu(nonZero(underlayMtu(hostLinks, encapIp)))
        .podMtu(nonZero(podMtu(ovs, hostLinks, profile)))
        .ovnRemote(nonEmpty(ext.getOrDefault("ovn-remote", "")))
        .systemId(nonEmpty(ext.getOrDefault("system-id", "")))
        .cni(profile.map(p -> p.cni().flagName()))
        .cniEvidence(evidence)
        .build();
  }

  private static Optional<String> nonEmpty(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private static OptionalInt nonZero(int v) {
    return v == 0 ? OptionalInt.empty() : OptionalInt.of(v);
  }

  /** Without OVN settings: the address the kernel uses to reach the first tunnel's peer. */
  private String sourceTowardsPeers(List<NodeFacts.TunnelFacts> tunnels, Duration timeout) {
    for (NodeFacts.TunnelFacts t : tunnels) {
      if (!InetAddresses.isInetAddress(t.remoteIp())) {
        continue; // "flow" or empty: nothing to route
      }
      try {
        Optional<String> src =
            ctx.ip().sourceFor(ctx.hostNetns(), InetAddresses.forString(t.remoteIp()), timeout);
        if (src.isPresent()) {
          return src.get();
        }
      } catch (AgentException e) {
        // unroutable peer: try the next tunnel
      }
    }
    return "";
  }

  private static Duration left(Instant deadline) {
    Duration d = Duration.between(Instant.now(), deadline);
    if (d.isNegative() || d.isZero()) {
      throw new DeadlineExceededException("GetNode ran out of time");
    }
    return d;
  }

  /** external_ids:ovn-bridge (OVN's own setting), else br-int, else the only bridge. */
  public static String integrationBridge(OvsState ovs) {
    String named = ovs.system().externalIds().getOrDefault("ovn-bridge", "br-int");
    if (ovs.bridge(named).isPresent() || ovs.bridges().size() != 1) {
      return named;
    }
    return ovs.bridges().get(0).name();
  }

  static List<NodeFacts.TunnelFacts> tunnels(OvsState ovs) {
    List<NodeFacts.TunnelFacts> out = new ArrayList<>();
    for (OvsInterface i : ovs.interfaces()) {
      if (!i.isTunnel()) {
        continue;
      }
      String bridge = ovs.portOf(i).flatMap(ovs::bridgeOf).map(OvsState.OvsBridge::name).orElse("");
      out.add(
          new NodeFacts.TunnelFacts(
              i.name(),
              i.type(),
              i.options().getOrDefault("remote_ip", ""),
              nonEmpty(i.options().getOrDefault("local_ip", "")),
              i.ofport().isPresent()
                  ? OptionalInt.of((int) i.ofport().getAsLong())
                  : OptionalInt.empty(),
              bridge,
              nonEmpty(i.options().getOrDefault("key", "")),
              nonEmpty(i.error())));
    }
    out.sort(Comparator.comparing(NodeFacts.TunnelFacts::name));
    return out;
  }

  private String ovsVersion(OvsState ovs, Duration timeout) {
    if (!ovs.system().ovsVersion().isEmpty()) {
      return ovs.system().ovsVersion();
    }
    // ovs_version is written by ovs-ctl, not by ovs-vswitchd; ask the daemon itself.
    try {
      return parseVersion(ctx.vswitchd().call("version", List.of(), timeout));
    } catch (AgentException e) {
      return "";
    }
  }

  private String ovnVersion(Duration timeout) {
    try {
      return parseVersion(ctx.ovnController().call("version", List.of(), timeout));
    } catch (AgentException e) {
      return ""; // no ovn-controller on this node
    }
  }

  /** "ovs-vswitchd (Open vSwitch) 3.1.0" / "ovn-controller 23.03.1" → the version word. */
  static String parseVersion(String text) {
    String first = text.strip().split("\n")[0].strip();
    int sp = first.lastIndexOf(' ');
    return sp < 0 ? first : first.substring(sp + 1);
  }

  /** The MTU of the link that carries the encap IP (0 when no link has it). */
  static int underlayMtu(List<IpLink> links, String encapIp) {
    if (encapIp.isEmpty()) {
      return 0;
    }
    return links.stream()
        .filter(l -> l.addrs().stream().anyMatch(a -> a.local().equals(encapIp)))
        .map(IpLink::mtu)
        .findFirst()
        .orElse(0);
  }

  /**
   * The most common MTU of the host veths that OVS knows as pod ports: plain interfaces on the
   * profile's pod bridge (without a profile: the ones with an iface-id).
   */
  static int podMtu(OvsState ovs, List<IpLink> links, Optional<CniProfile> profile) {
    return IpLink.commonMtu(
        links,
        ovs.interfaces().stream()
            .filter(i -> i.type().isEmpty())
            .filter(
                i ->
                    profile
                        .map(p -> onBridge(ovs, i, p.podBridge()) && !isGateway(p, i))
                        .orElse(i.externalIds().containsKey("iface-id")))
            .map(i -> i.name())
            .toList());
  }

  private static boolean onBridge(OvsState ovs, OvsInterface i, String bridge) {
    return ovs.portOf(i).flatMap(ovs::bridgeOf).map(b -> b.name().equals(bridge)).orElse(false);
  }

  private static boolean isGateway(CniProfile p, OvsInterface i) {
    return p.gatewayPort().map(g -> g.equals(i.name())).orElse(false);
  }
}
