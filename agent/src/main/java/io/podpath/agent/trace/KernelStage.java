package io.podpath.agent.trace;

import io.podpath.agent.errors.AgentException;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.kernel.CtState;
import io.podpath.agent.kernel.IpAddr;
import io.podpath.agent.kernel.KernelFacts;
import io.podpath.agent.kernel.KernelFactsCache;
import io.podpath.agent.kernel.KernelFactsReader;
import io.podpath.agent.kernel.KernelHop;
import io.podpath.agent.kernel.KernelHopOutcome;
import io.podpath.agent.kernel.KernelPacket;
import io.podpath.agent.kernel.Neighbour;
import io.podpath.agent.kernel.NodeAccess;
import io.podpath.agent.kernel.Proto;
import io.podpath.agent.kernel.RouteAnswer;
import io.podpath.agent.kernel.RouteLookup;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The node kernel's part of a TraceNode: when OVS leaves the packet at a host-side port, the packet
 * as OVS emitted it continues through the node's routing, sysctls and netfilter. Kernel facts are
 * cached (a steady-state trace must not re-run iptables-save) and re-read when the set of host-side
 * ports in OVSDB changes, when the nf_tables generation or a forwarding/rp_filter sysctl changed,
 * after the TTL, or when a read failed.
 */
public final class KernelStage {
  private final String node;
  private final NodeAccess access;
  private final RouteLookup routes;
  private final KernelFactsCache cache;
  private volatile Set<String> ports = Set.of();

  public KernelStage(
      String node, NodeAccess access, RouteLookup routes, Duration ttl, Clock clock) {
    this.node = node;
    this.access = access;
    this.routes = routes;
    this.cache =
        new KernelFactsCache(ttl, clock, () -> KernelFactsReader.read(node, access, ports));
  }

  /**
   * The kernel hop after {@code outcome}, or empty when OVS did not hand the packet to the node.
   */
  Optional<KernelPart> after(
      Outcome outcome,
      HostSidePorts hostSide,
      PacketHeaders asEmitted,
      TraceSpec spec,
      List<TraceFinding> findings,
      Instant deadline) {
    if (!leavesToHost(outcome, hostSide)) {
      return Optional.empty();
    }
    KernelPacket p =
        new KernelPacket(
            proto(asEmitted.protocol()),
            IpAddr.parse("src", IpLiteral.format(asEmitted.src())),
            IpAddr.parse("dst", IpLiteral.format(asEmitted.dst())),
            asEmitted.srcPort(),
            asEmitted.dstPort(),
            spec.ipLength(),
            spec.df(),
            Optional.of(outcome.portName()),
            ctState(spec),
            0,
            preferredBackend(spec));
    return Optional.of(run(p, outcome.portName(), hostSide, findings, deadline));
  }

  /**
   * A packet the node's own stack sends (SRC node/NAME): OUTPUT, the route, POSTROUTING, as
   * KernelHop models a local packet. A source of 0.0.0.0 (the request gave none) becomes the
   * route's preferred source, the address the kernel itself would choose (0.0.0.0 or :: for an IPv6
   * destination); with no route the hop reports the kernel's refusal.
   */
  KernelPart fromNode(
      HostSidePorts hostSide,
      PacketHeaders packet,
      TraceSpec spec,
      List<TraceFinding> findings,
      Instant deadline) {
    IpAddr dst = IpAddr.parse("dst", IpLiteral.format(packet.dst()));
    IpAddr src = IpAddr.parse("src", IpLiteral.format(packet.src()));
    if (packet.src().isAnyLocalAddress()) {
      try {
        RouteAnswer a = routes.until(deadline).get(dst, Optional.empty(), Optional.empty(), 0);
        if (a instanceof RouteAnswer.Route r && r.source().isPresent()) {
          src = r.source().get();
        }
      } catch (AgentException | UncheckedIOException e) {
        findings.add(
            TraceFinding.warning(
                "kernel-source-unknown",
                "cannot ask "
                    + node
                    + "'s kernel for its source to "
                    + dst
                    + ": "
                    + e.getMessage()));
      }
    }
    KernelPacket p =
        new KernelPacket(
            proto(packet.protocol()),
            src,
            dst,
            packet.srcPort(),
            packet.dstPort(),
            spec.ipLength(),
            spec.df(),
            Optional.empty(),
            CtState.NEW,
            0,
            preferredBackend(spec));
    return run(p, "", hostSide, findings, deadline);
  }

  /**
   * The whole answer for a packet the node sends: only its kernel part (the aggregator continues in
   * OVS from the BackToOvs port); DROPPED for a kernel drop, HOST otherwise.
   */
  NodeTraceResult nodeSends(
      String bridge, HostSidePorts hostSide, TraceSpec spec, Instant deadline) {
    List<TraceFinding> findings = new ArrayList<>();
    KernelPart part = fromNode(hostSide, spec.packet(), spec, findings, deadline);
    return kernelOnly(bridge, "sent by " + node + "'s own stack", part, findings);
  }

  /**
   * The Service backend the caller traces to (lb_backend): where a random kube-proxy choice ({@code
   * -m statistic}) is followed instead of being inconclusive.
   */
  static Optional<IpAddr> preferredBackend(TraceSpec spec) {
    return spec.lbBackend().flatMap(b -> IpAddr.tryParse(IpLiteral.format(b.ip())));
  }

  /**
   * The kernel's conntrack state for the packet: a reply (OVS est+rpl) belongs to a connection the
   * node already tracks, so the nat table is not consulted again; anything else is new.
   */
  static CtState ctState(TraceSpec spec) {
    return !spec.ctNext().isEmpty()
            && spec.ctNext().get(0).contains(io.podpath.agent.trace.CtState.EST)
            && spec.ctNext().get(0).contains(io.podpath.agent.trace.CtState.RPL)
        ? CtState.ESTABLISHED
        : CtState.NEW;
  }

  NodeTraceResult kernelOnly(
      String bridge, String what, KernelPart part, List<TraceFinding> findings) {
    Outcome host =
        new Outcome(
            Outcome.Kind.HOST,
            what,
            "",
            -1,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "",
            List.of());
    return new NodeTraceResult(
        node,
        bridge,
        "",
        List.of(),
        "",
        "",
        outcome(host, Optional.of(part)),
        "",
        findings,
        "kernel",
        Optional.of(part),
        List.of());
  }

  RouteLookup routes() {
    return routes;
  }

  /** One kernel hop; when it goes back to OVS, the port it enters and the next hop's MAC. */
  KernelPart run(
      KernelPacket p,
      String enteredBy,
      HostSidePorts hostSide,
      List<TraceFinding> findings,
      Instant deadline) {
    // Every read and command of this hop is bounded by the trace's own deadline.
    NodeAccess bounded = access.until(deadline);
    KernelHopOutcome hop;
    try {
      hop = new KernelHop(facts(hostSide.names(), bounded), routes.until(deadline)).trace(p);
    } catch (AgentException | UncheckedIOException e) {
      cache.invalidate();
      hop =
          new KernelHopOutcome.Inconclusive(
              "cannot read the kernel of " + node + ": " + e.getMessage(), List.of(), List.of());
    }
    if (!(hop instanceof KernelHopOutcome.BackToOvs b)) {
      return new KernelPart(enteredBy, hop, Optional.empty(), Optional.empty());
    }
    IpAddr next = b.gateway().orElse(b.packet().dst());
    Optional<String> mac = neighbourMac(bounded, next, b.device());
    if (mac.isEmpty()) {
      findings.add(
          TraceFinding.warning(
              "kernel-neighbour-unresolved",
              "no neighbour entry for "
                  + next
                  + " on "
                  + b.device()
                  + " on "
                  + node
                  + (next.v6()
                      ? ": the kernel would ask by NDP first"
                      : ": the kernel would ARP first")
                  + "; the OVS trace from "
                  + b.device()
                  + " runs without a destination MAC"));
    }
    return new KernelPart(enteredBy, hop, hostSide.named(b.device()), mac);
  }

  /** The underlay device a tunnel's packets leave by, and its MTU. */
  record Underlay(String device, int mtu) {}

  /**
   * The device the node routes {@code remote} (a peer's encap IP) out of and that device's MTU (the
   * route's own MTU when it has one), or empty when the node cannot tell (a finding says why).
   */
  Optional<Underlay> underlay(
      String remote, Set<String> hostSide, Instant deadline, List<TraceFinding> findings) {
    Optional<IpAddr> dst = IpAddr.tryParse(remote);
    if (dst.isEmpty()) {
      findings.add(
          TraceFinding.warning(
              "tunnel-size-unchecked",
              "the tunnel's remote " + remote + " is no IP address: its underlay is not checked"));
      return Optional.empty();
    }
    try {
      NodeAccess bounded = access.until(deadline);
      // the kernel's own choice for the encap address, of either family (rtnetlink, else `ip`)
      Optional<Underlay> route =
          Optional.of(routes.until(deadline).get(dst.get(), Optional.empty(), Optional.empty(), 0))
              .filter(a -> a instanceof RouteAnswer.Route)
              .map(a -> (RouteAnswer.Route) a)
              .map(r -> new Underlay(r.device(), r.mtu()));
      if (route.isEmpty()) {
        findings.add(
            TraceFinding.warning(
                "tunnel-size-unchecked",
                "no route to the tunnel's remote " + remote + " on " + node));
        return Optional.empty();
      }
      Underlay r = route.get();
      int mtu = r.mtu() > 0 ? r.mtu() : facts(hostSide, bounded).mtu().getOrDefault(r.device(), 0);
      return mtu > 0 ? Optional.of(new Underlay(r.device(), mtu)) : Optional.empty();
    } catch (AgentException | UncheckedIOException | IllegalArgumentException e) {
      findings.add(
          TraceFinding.warning(
              "tunnel-size-unchecked",
              "cannot read the underlay route to "
                  + remote
                  + " on "
                  + node
                  + ": "
                  + e.getMessage()));
      return Optional.empty();
    }
  }

  private static Optional<String> neighbourMac(NodeAccess access, IpAddr next, String device) {
    try {
      CommandResult r = access.run(Neighbour.argv(next, device));
      return r.ok() ? Neighbour.parse(next, r.stdout()).flatMap(Neighbour::mac) : Optional.empty();
    } catch (AgentException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static boolean leavesToHost(Outcome o, HostSidePorts hostSide) {
    return switch (o.kind()) {
      case HOST, GATEWAY, OTHER_PORT -> hostSide.named(o.portName()).isPresent();
      default -> false;
    };
  }

  private KernelFacts facts(Set<String> hostSide, NodeAccess bounded) {
    if (!hostSide.equals(ports)) {
      ports = Set.copyOf(hostSide);
      cache.invalidate();
    }
    Set<String> known = ports;
    return cache.get(changeKey(bounded), () -> KernelFactsReader.read(node, bounded, known));
  }

  /**
   * What says the cached facts are stale without running iptables-save: the nf_tables generation
   * (one netlink round trip; iptables-nft and ip6tables-nft bump it on every change) and the
   * forwarding (IPv4 and IPv6) and rp_filter sysctls (file reads). Addresses and MTUs, and the
   * rules of an iptables-legacy node, are re-read only after the TTL.
   */
  private static List<Object> changeKey(NodeAccess a, Set<String> devices) {
    List<Object> key = new ArrayList<>();
    key.add(a.rulesetGeneration());
    key.add(a.read("/proc/sys/net/ipv4/ip_forward"));
    key.add(a.read("/proc/sys/net/ipv4/conf/all/rp_filter"));
    key.add(a.read("/proc/sys/net/ipv6/conf/all/forwarding"));
    for (String dev : devices) {
      key.add(a.read("/proc/sys/net/ipv4/conf/" + dev + "/forwarding"));
      key.add(a.read("/proc/sys/net/ipv4/conf/" + dev + "/rp_filter"));
    }
    return key;
  }

  private List<Object> changeKey(NodeAccess a) {
    Set<String> devices =
        cache
            .peek()
            .map(f -> (Set<String>) new TreeSet<>(f.forwarding().keySet()))
            .orElse(Set.of());
    return changeKey(a, devices);
  }

  /** A stable code for the kernel's drop cause (KernelHop.cause_code, DropInfo.cause_code). */
  public static String code(KernelHopOutcome.Cause c) {
    if (c instanceof KernelHopOutcome.Cause.IpForwardOff) {
      return "ip-forward-off";
    } else if (c instanceof KernelHopOutcome.Cause.NoRoute) {
      return "no-route";
    } else if (c instanceof KernelHopOutcome.Cause.RpFilter) {
      return "rp-filter";
    } else if (c instanceof KernelHopOutcome.Cause.ByRule r) {
      return r.rejected() ? "rule-reject" : "rule-drop";
    } else if (c instanceof KernelHopOutcome.Cause.ConntrackFull) {
      return "conntrack-full";
    } else {
      return "too-big";
    }
  }

  /**
   * The node's outcome once the kernel had its say: a kernel drop makes the node's outcome DROPPED
   * (at the host-side port, naming the cause), so every consumer that reads only the outcome still
   * sees the packet die here; any other kernel result keeps what OVS said.
   */
  static Outcome outcome(Outcome ovs, Optional<KernelPart> kernel) {
    if (kernel.isEmpty() || !(kernel.get().hop() instanceof KernelHopOutcome.Dropped d)) {
      return ovs;
    }
    String why = d.cause().text();
    return new Outcome(
        Outcome.Kind.DROPPED,
        why,
        ovs.portName(),
        ovs.ofport(),
        ovs.pod(),
        Optional.empty(),
        Optional.of(
            new Outcome.Drop(-1, "", why, Optional.empty(), Optional.empty(), code(d.cause()))),
        ovs.recirculation(),
        List.of());
  }

  static Proto proto(L4Protocol p) {
    return switch (p) {
      case TCP -> Proto.TCP;
      case UDP -> Proto.UDP;
      case SCTP -> Proto.SCTP;
      case ICMP -> Proto.ICMP;
    };
  }
}
