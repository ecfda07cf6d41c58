package io.podpath.agent.trace;

import io.podpath.agent.AgentContext;
import io.podpath.agent.errors.AgentException;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.errors.NotFoundException;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.kernel.IpRouteLookup;
import io.podpath.agent.node.AgentNodeAccess;
import io.podpath.agent.node.NodeInspector;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import io.podpath.agent.ovsdb.OvsStateMonitor;
import io.podpath.agent.ovsdb.Remote;
import io.podpath.agent.unixctl.AppctlUnixctl;
import io.podpath.agent.unixctl.Unixctl;
import io.podpath.agent.unixctl.UnixctlSockets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * TraceNode: resolves the ingress port and the MACs from the node's OVSDB (and OVN's SB), builds
 * the flow from typed values, runs {@code ofproto/trace} over unixctl (ovs-appctl as the fallback),
 * parses it, maps datapath ports back to OpenFlow ports and decides the outcome, then decodes
 * cookies into OVN logical flows, ACLs and NetworkPolicies.
 */
public final class NodeTracer implements Tracer {
  private final AgentContext ctx;
  private final Unixctl primary;
  private final Unixctl fallback;
  private final OvnLink ovn;
  private final OvsStateMonitor ovsState;
  private final DpifCache dpifCache = new DpifCache();
  private final KernelStage kernel;

  /**
   * The agent's tracer. The Southbound remote is {@code --ovn-sb} (ctx.ovnSb()), else the node's
   * external_ids:ovn-remote; the Northbound is {@code --ovn-nb} (ctx.ovnNb()), else guessed next to
   * the Southbound (port 6641 / ovnnb_db.sock), and optional.
   */
  public static NodeTracer forAgent(AgentContext ctx) {
    return new NodeTracer(ctx, new OvnLink(ctx.ovnSb(), ctx.ovnNb()));
  }

  /** The agent's wiring: unixctl protocol first, ovs-appctl when the protocol path fails. */
  public NodeTracer(AgentContext ctx, OvnLink ovn) {
    this(
        ctx,
        ctx.vswitchd(),
        new AppctlUnixctl(ctx.runner(), () -> UnixctlSockets.find(ctx.ovsRundir(), "ovs-vswitchd")),
        ovn);
  }

  /** For tests: a given path only (primary == fallback means no fallback). */
  public NodeTracer(AgentContext ctx, Unixctl primary, Unixctl fallback, OvnLink ovn) {
    this.ctx = ctx;
    this.primary = primary;
    this.fallback = fallback;
    this.ovn = ovn;
    this.ovsState =
        new OvsStateMonitor(Remote.unix(ctx.ovsRundir().resolve("db.sock")), ctx.ovsdb());
    this.kernel =
        new KernelStage(
            ctx.nodeName(),
            new AgentNodeAccess(ctx, KERNEL_TIMEOUT),
            new IpRouteLookup(ctx.runner(), ctx.hostNetns(), KERNEL_TIMEOUT),
            KERNEL_FACTS_TTL,
            Clock.systemUTC());
  }

  private static final Duration KERNEL_TIMEOUT = Duration.ofSeconds(5);

  /** How long node kernel facts (iptables-save, addresses, sysctls) are reused between traces. */
  static final Duration KERNEL_FACTS_TTL = Duration.ofSeconds(5);

  @Override
  public NodeTraceResult trace(TraceSpec spec, Duration budget) {
    Instant deadline = Instant.now().plus(budget);
    List<TraceFinding> findings = new ArrayList<>();
    OvsStateMonitor.Snapshot snapshot = ovsState.current(left(deadline));
    OvsState ovs = snapshot.state();
    String bridge = NodeInspector.integrationBridge(ovs);
    Optional<OvnLink.Session> session = ovn.open(ovs, left(deadline), findings);

    int inPort;
    Optional<TunnelMatch> tunnel = Optional.empty();
    PacketHeaders packet = spec.packet();
    if (spec.ingress() instanceof TraceSpec.FromPod fp) {
      OvsInterface iface = podInterface(ovs, fp.pod());
      inPort = (int) iface.ofport().orElse(-1);
      packet = fillMacs(packet, fp.pod(), iface, session, findings);
    } else if (spec.ingress() instanceof TraceSpec.FromHostPort hp) {
      HostSidePorts.Port port = hostPort(ovs, hp);
      bridge = port.bridge();
      inPort = port.ofport();
      packet = hostPortMacs(packet, ovs, port, findings);
    } else {
      TunnelMatch t = ((TraceSpec.FromTunnel) spec.ingress()).match();
      inPort = tunnelPort(ovs, bridge, IpLiteral.format(t.tunSrc()));
      tunnel = Optional.of(t);
    }
    TraceArgs args =
        FlowBuilder.build(new FlowRequest(bridge, inPort, tunnel, packet, spec.ctNext()));

    DpifCache.Key key =
        new DpifCache.Key(
            snapshot.portsVersion(),
            UnixctlSockets.lookup(ctx.ovsRundir(), "ovs-vswitchd").map(Path::toString).orElse(""));
    Unixctl used = primary;
    String raw;
    ParsedTrace parsed;
    DpifPorts dpif;
    try {
      raw = traceWithNeighbour(primary, args, deadline);
      parsed = TraceOutputParser.parse(raw);
      dpif = dpif(primary, key, snapshot.monitored(), parsed, deadline);
    } catch (ProtocolException e) {
      findings.add(
          TraceFinding.warning(
              "unixctl-fallback", "unixctl protocol failed (" + e.getMessage() + "); used exec"));
      used = fallback;
      raw = traceWithNeighbour(fallback, args, deadline);
      parsed = TraceOutputParser.parse(raw);
      dpif = dpif(fallback, key, false, parsed, deadline);
    }
    return decode(spec, args, bridge, raw, parsed, dpif, ovs, session, findings, used);
  }

  /**
   * dpif/show, from the cache while the ports did not change. A cached answer that misses a
   * datapath port the trace output names is stale whatever the keys say: read it again.
   */
  private DpifPorts dpif(
      Unixctl u, DpifCache.Key key, boolean cacheable, ParsedTrace parsed, Instant deadline) {
    Supplier<DpifPorts> load =
        () -> DpifPorts.parse(u.call("dpif/show", List.of(), left(deadline)));
    DpifPorts ports = dpifCache.get(key, cacheable, load);
    if (cacheable && !ports.listsAll(datapathActions(parsed))) {
      dpifCache.invalidate();
      ports = dpifCache.get(key, true, load);
    }
    return ports;
  }

  private static List<DpAction> datapathActions(ParsedTrace parsed) {
    List<DpAction> out = new ArrayList<>();
    for (TracePass pass : parsed.passes()) {
      out.addAll(DatapathActionsParser.parse(pass.datapathActions()));
    }
    return out;
  }

  private NodeTraceResult decode(
      TraceSpec spec,
      TraceArgs args,
      String bridge,
      String raw,
      ParsedTrace parsed,
      DpifPorts dpif,
      OvsState ovs,
      Optional<OvnLink.Session> session,
      List<TraceFinding> findings,
      Unixctl used) {
    findings.addAll(parsed.findings());
    OutcomeClassifier.Result classified =
        OutcomeClassifier.classify(parsed, dpif, PortDirectory.of(ovs, dpif), bridge);
    findings.addAll(classified.findings());
    Outcome outcome =
        withLocalIp(
            classified.outcome(), ovs.system().externalIds().getOrDefault("ovn-encap-ip", ""));
    List<DecodedStep> steps;
    if (session.isPresent()) {
      steps = session.get().decodeSteps(parsed);
      try {
        outcome = session.get().explainDrop(outcome, parsed, findings);
        outcome = session.get().explainRecirculation(outcome, steps, parsed);
      } catch (AgentException e) {
        findings.add(
            TraceFinding.warning(
                "ovn-decode-failed", "cannot explain the drop: " + e.getMessage()));
      }
      findings.addAll(session.get().problems());
    } else {
      steps = parsed.steps().stream().map(s -> new DecodedStep(s, Optional.empty())).toList();
    }
    PacketHeaders emitted =
        InnerPacket.asItLeaves(
                parsed.finalFlow(), DatapathActionsParser.parse(parsed.datapathActions()))
            .packet()
            .orElse(spec.packet());
    Optional<KernelPart> hop =
        kernel.after(outcome, HostSidePorts.of(ovs), emitted, spec, findings);
    outcome = KernelStage.outcome(outcome, hop);
    return new NodeTraceResult(
        ctx.nodeName(),
        bridge,
        args.flow(),
        steps,
        parsed.finalFlow(),
        parsed.datapathActions(),
        outcome,
        spec.includeRaw() ? raw : "",
        findings,
        used.via(),
        hop);
  }

  /**
   * Runs the trace; when the underlay neighbour of a tunnel is unknown, the trace itself sends an
   * ARP request, so a retry a moment later usually sees the real encapsulation.
   */
  private static String traceWithNeighbour(Unixctl u, TraceArgs args, Instant deadline) {
    String raw = u.call("ofproto/trace", args.params(), left(deadline));
    for (long waitMs : new long[] {100, 300}) {
      if (!raw.contains(UnresolvedTunnel.MISS)
          || Duration.between(Instant.now(), deadline).toMillis() < waitMs + 1000) {
        break;
      }
      try {
        Thread.sleep(waitMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      raw = u.call("ofproto/trace", args.params(), left(deadline));
    }
    return raw;
  }

  /** OVN's tunnel ports carry no local_ip: the node's encap IP is the outer source. */
  static Outcome withLocalIp(Outcome o, String encapIp) {
    if (o.tunnel().isEmpty() || !o.tunnel().get().localIp().isEmpty() || encapIp.isEmpty()) {
      return o;
    }
    Outcome.Tunnel t = o.tunnel().get();
    Outcome.Tunnel fixed =
        new Outcome.Tunnel(
            t.portName(),
            t.ofport(),
            t.type(),
            t.remoteIp(),
            encapIp,
            t.vni(),
            t.geneveOptions(),
            t.inner(),
            t.innerFlow());
    return new Outcome(
        o.kind(),
        o.summary(),
        o.portName(),
        o.ofport(),
        o.pod(),
        Optional.of(fixed),
        o.drop(),
        o.recirculation(),
        o.parts());
  }

  private static OvsInterface podInterface(OvsState ovs, PodName pod) {
    return ovs.interfacesByIfaceId(pod.ifaceId()).stream()
        .filter(i -> i.ofport().orElse(-1) > 0)
        .min(Comparator.comparing(OvsInterface::name))
        .orElseThrow(
            () ->
                new NotFoundException(
                    "no local pod "
                        + pod
                        + " on this node (no OVS interface with external_ids:iface-id="
                        + pod.ifaceId()
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
  private static PacketHeaders hostPortMacs(
      PacketHeaders p, OvsState ovs, HostSidePorts.Port port, List<TraceFinding> findings) {
    Optional<MacAddress> src =
        p.srcMac()
            .or(
                () ->
                    ovs.interfaces().stream()
                        .filter(i -> i.name().equals(port.name()))
                        .findFirst()
                        .flatMap(i -> MacAddress.tryParse(i.macInUse())));
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

  private static PacketHeaders fillMacs(
      PacketHeaders p,
      PodName pod,
      OvsInterface iface,
      Optional<OvnLink.Session> session,
      List<TraceFinding> findings) {
    Optional<MacAddress> src = p.srcMac();
    Optional<MacAddress> dst = p.dstMac();
    if (src.isEmpty() && session.isPresent()) {
      src = session.get().podMac(pod.ifaceId()).flatMap(MacAddress::tryParse);
    }
    if (src.isEmpty()) {
      // OVN-Kubernetes writes attached_mac; some CNIs attached-mac
      src =
          MacAddress.tryParse(iface.externalIds().get("attached_mac"))
              .or(() -> MacAddress.tryParse(iface.externalIds().get("attached-mac")));
    }
    if (dst.isEmpty() && session.isPresent()) {
      dst = session.get().nextHopMac(pod.ifaceId(), p.dst()).flatMap(MacAddress::tryParse);
    }
    checkSourceIp(p, pod, iface, session, findings);
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
      OvsInterface iface,
      Optional<OvnLink.Session> session,
      List<TraceFinding> findings) {
    List<String> owned = new ArrayList<>();
    session.ifPresent(s -> owned.addAll(s.podIps(pod.ifaceId())));
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

  private static Duration left(Instant deadline) {
    Duration d = Duration.between(Instant.now(), deadline);
    if (d.isNegative() || d.isZero()) {
      throw new DeadlineExceededException("the trace's deadline passed");
    }
    return d;
  }

  @Override
  public void close() {
    ovsState.close();
    ovn.close();
  }
}
