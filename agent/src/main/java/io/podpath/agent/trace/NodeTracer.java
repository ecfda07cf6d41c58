package io.podpath.agent.trace;

import io.podpath.agent.AgentContext;
import io.podpath.agent.cni.CniProfile;
import io.podpath.agent.errors.AgentException;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.exec.CommandStartException;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.kernel.IpRouteLookup;
import io.podpath.agent.kernel.NetlinkRouteLookup;
import io.podpath.agent.node.AgentNodeAccess;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsStateMonitor;
import io.podpath.agent.ovsdb.Remote;
import io.podpath.agent.pod.PodLocator;
import io.podpath.agent.unixctl.AppctlUnixctl;
import io.podpath.agent.unixctl.Unixctl;
import io.podpath.agent.unixctl.UnixctlSockets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
  private final UplinkEntry uplinks;
  private final PodEdges pods;
  private final PodIngress podIngress;

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
            new NetlinkRouteLookup(
                ctx.netns(),
                ctx.hostNetns(),
                KERNEL_TIMEOUT,
                new IpRouteLookup(ctx.runner(), ctx.hostNetns(), KERNEL_TIMEOUT)),
            KERNEL_FACTS_TTL,
            Clock.systemUTC());
    this.uplinks = new UplinkEntry(ctx.nodeName(), kernel);
    PodLocator locator = new PodLocator(ctx);
    this.pods = new PodEdges(new PodStack(ctx.nodeName(), locator, ctx.ip(), ctx.netns()));
    this.podIngress =
        new PodIngress(new UnnamedPods(locator, ctx.ip(), ctx.runner(), ctx.hostNetns(), primary));
  }

  /** Only for uses outside a trace: a trace binds the kernel hop to its own deadline. */
  private static final Duration KERNEL_TIMEOUT = Duration.ofSeconds(5);

  /** How long node kernel facts (iptables-save, addresses, sysctls) are reused between traces. */
  static final Duration KERNEL_FACTS_TTL = Duration.ofSeconds(5);

  @Override
  public NodeTraceResult trace(TraceSpec spec, Duration budget) {
    Instant deadline = Instant.now().plus(budget);
    List<TraceFinding> findings = new ArrayList<>();
    OvsStateMonitor.Snapshot snapshot = ovsState.current(left(deadline));
    OvsState ovs = snapshot.state();
    Optional<CniProfile> profile = PodIngress.profile(ctx, ovs, findings);
    String bridge = PodIngress.bridge(ovs, profile);
    if (spec.ingress() instanceof TraceSpec.FromHost) {
      return kernel.nodeSends(bridge, HostSidePorts.of(ovs), spec, deadline);
    }
    Optional<UplinkBridge> uplink = Optional.empty();
    if (spec.ingress() instanceof TraceSpec.FromUplink u) {
      String dev = u.device().orElseGet(() -> uplinks.device(spec.packet(), deadline));
      uplink = UplinkBridge.of(ovs, dev, bridge);
      if (uplink.isEmpty()) {
        return uplinks.arrives(bridge, HostSidePorts.of(ovs), spec, dev, deadline);
      }
    }
    Optional<OvnLink.Session> session = ovn.open(ovs, left(deadline), findings);

    int inPort;
    Optional<TunnelMatch> tunnel = Optional.empty();
    Optional<PodEdges.Source> source = Optional.empty();
    PacketHeaders packet = spec.packet();
    if (spec.ingress() instanceof TraceSpec.FromPod fp) {
      PodIngress.Start start =
          podIngress.start(
              ovs, profile, bridge, fp.pod(), packet, session, findings, left(deadline));
      bridge = start.bridge();
      inPort = start.ofport();
      packet = start.packet();
      source = Optional.of(start.source());
    } else if (spec.ingress() instanceof TraceSpec.FromHostPort hp) {
      HostSidePorts.Port port = TraceIngress.hostPort(ovs, hp);
      bridge = port.bridge();
      inPort = port.ofport();
      packet = TraceIngress.hostPortMacs(packet, ovs, port, session, findings);
    } else if (uplink.isPresent()) {
      // From outside through the uplink bridge's NIC, addressed to the bridge's own MAC.
      UplinkBridge ub = uplink.get();
      bridge = ub.bridge();
      inPort = ub.nicOfport();
      packet = packet.withMacs(packet.srcMac(), packet.dstMac().or(ub::localMac));
    } else {
      TunnelMatch t = ((TraceSpec.FromTunnel) spec.ingress()).match();
      bridge = profile.map(p -> p.tunnels().bridge()).orElse(bridge);
      inPort = TraceIngress.tunnelPort(ovs, bridge, IpLiteral.format(t.tunSrc()));
      tunnel = Optional.of(t);
    }
    FlowRequest request = new FlowRequest(bridge, inPort, tunnel, packet, spec.ctNext());
    TraceArgs args = FlowBuilder.build(request);
    if (uplink.isPresent() && UplinkReplyMark.applies(spec.ctNext())) {
      Optional<UplinkReplyMark.Mark> mark =
          UplinkReplyMark.of(ovs, uplink.get(), packet, primary, deadline);
      if (mark.isPresent()) {
        args = UplinkReplyMark.args(request, mark.get());
        findings.add(UplinkReplyMark.finding(uplink.get(), mark.get()));
      }
    }

    DpifCache.Key key =
        new DpifCache.Key(
            snapshot.portsVersion(),
            UnixctlSockets.lookup(ctx.ovsRundir(), "ovs-vswitchd").map(Path::toString).orElse(""));
    Ran ran = ofprotoTrace(args, key, snapshot.monitored(), findings, deadline);
    NodeTraceResult result =
        decode(
            spec,
            source,
            args,
            bridge,
            ran.raw(),
            ran.parsed(),
            ran.dpif(),
            ovs,
            session,
            findings,
            ran.used(),
            deadline);
    if (spec.lbBackend().isEmpty() || result.outcome().kind() != Outcome.Kind.RECIRCULATION) {
      return result;
    }
    return toBackend(
        spec, source, bridge, inPort, tunnel, packet, ran, result, key, snapshot, ovs, session,
        deadline);
  }

  /** One ofproto/trace run: its text, what was parsed, the datapath ports, the path used. */
  private record Ran(String raw, ParsedTrace parsed, DpifPorts dpif, Unixctl used) {}

  private Ran ofprotoTrace(
      TraceArgs args,
      DpifCache.Key key,
      boolean monitored,
      List<TraceFinding> findings,
      Instant deadline) {
    try {
      String raw = UnresolvedTunnel.traceWithNeighbour(primary, args, deadline);
      ParsedTrace parsed = TraceOutputParser.parse(raw);
      return new Ran(raw, parsed, dpif(primary, key, monitored, parsed, deadline), primary);
    } catch (ProtocolException e) {
      findings.add(
          TraceFinding.warning(
              "unixctl-fallback", "unixctl protocol failed (" + e.getMessage() + "); used exec"));
      String raw = UnresolvedTunnel.traceWithNeighbour(fallback, args, deadline);
      ParsedTrace parsed = TraceOutputParser.parse(raw);
      return new Ran(raw, parsed, dpif(fallback, key, false, parsed, deadline), fallback);
    }
  }

  /**
   * The trace stopped at a load balancer's choice of backend and the caller named the backend:
   * continue as the node's own group bucket for it does ({@link LbContinuation}). When the node's
   * group does not say what the bucket does, the first answer stands, with a finding.
   */
  private NodeTraceResult toBackend(
      TraceSpec spec,
      Optional<PodEdges.Source> source,
      String startBridge,
      int startPort,
      Optional<TunnelMatch> startTunnel,
      PacketHeaders sent,
      Ran first,
      NodeTraceResult stopped,
      DpifCache.Key key,
      OvsStateMonitor.Snapshot snapshot,
      OvsState ovs,
      Optional<OvnLink.Session> session,
      Instant deadline) {
    LbBackend backend = spec.lbBackend().orElseThrow();
    Optional<Integer> group = LbContinuation.stoppedGroup(first.parsed());
    if (group.isEmpty()) {
      return stopped;
    }
    List<String> why = new ArrayList<>();
    Optional<LbContinuation.Bucket> bucket = Optional.empty();
    Optional<LbContinuation.Start> at =
        LbContinuation.start(first.parsed(), group.get(), startBridge, startPort);
    if (at.isEmpty()) {
      why.add("the stopped pass names no in_port of the bridge of group " + group.get());
      return notContinued(stopped, why);
    }
    String bridge = at.get().bridge();
    Optional<TunnelMatch> tunnel = at.get().crossed() ? Optional.empty() : startTunnel;
    try {
      CommandResult dump =
          ctx.runner()
              .run(
                  Command.of(
                          LbContinuation.dumpGroupArgv(
                              ctx.ovsRundir().resolve(bridge + ".mgmt").toString(), group.get()))
                      .withTimeout(left(deadline))
                      .withStdoutCap(1 << 20));
      if (dump.ok()) {
        bucket = LbContinuation.bucket(dump.stdout(), group.get(), backend, why);
      } else {
        why.add("ovs-ofctl dump-groups failed: " + dump.stderr().strip());
      }
    } catch (CommandStartException e) {
      why.add("ovs-ofctl cannot be started: " + e.getMessage());
    }
    if (bucket.isEmpty()) {
      return notContinued(stopped, why);
    }
    LbContinuation.Continued c =
        LbContinuation.continued(sent, backend, bucket.get(), first.parsed().finalFlow());
    List<TraceFinding> findings = new ArrayList<>();
    findings.add(TraceFinding.info("lb-backend-continued", c.summary()));
    TraceArgs args =
        FlowBuilder.build(
            new FlowRequest(bridge, at.get().inPort(), tunnel, c.packet(), LbContinuation.ctNext()),
            c.fields());
    Ran ran = ofprotoTrace(args, key, snapshot.monitored(), findings, deadline);
    NodeTraceResult cont =
        decode(
            spec.continued(c.packet(), LbContinuation.ctNext()),
            source,
            args,
            bridge,
            ran.raw(),
            ran.parsed(),
            ran.dpif(),
            ovs,
            session,
            findings,
            ran.used(),
            deadline);
    return ContinuedResult.merge(stopped, cont, c, source, session, spec.includeRaw());
  }

  private static NodeTraceResult notContinued(NodeTraceResult stopped, List<String> why) {
    List<TraceFinding> f = new ArrayList<>(stopped.findings());
    f.add(
        TraceFinding.warning(
            "lb-backend-not-continued",
            "cannot continue past the load balancer to the backend: " + String.join("; ", why)));
    return stopped.withFindings(f);
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
    if (cacheable && !ports.listsAll(DatapathActionsParser.ofAllPasses(parsed))) {
      dpifCache.invalidate();
      ports = dpifCache.get(key, true, load);
    }
    return ports;
  }

  private NodeTraceResult decode(
      TraceSpec spec,
      Optional<PodEdges.Source> source,
      TraceArgs args,
      String bridge,
      String raw,
      ParsedTrace parsed,
      DpifPorts dpif,
      OvsState ovs,
      Optional<OvnLink.Session> session,
      List<TraceFinding> findings,
      Unixctl used,
      Instant deadline) {
    findings.addAll(parsed.findings());
    OutcomeClassifier.Result classified =
        OutcomeClassifier.classify(parsed, dpif, PortDirectory.of(ovs, dpif), bridge);
    findings.addAll(classified.findings());
    Outcome outcome =
        classified
            .outcome()
            .withTunnelLocalIp(ovs.system().externalIds().getOrDefault("ovn-encap-ip", ""));
    PacketHeaders emitted =
        InnerPacket.asItLeaves(
                parsed.finalFlow(), DatapathActionsParser.parse(parsed.datapathActions()))
            .packet()
            .orElse(spec.packet());
    Optional<CniProfile> profile = PodIngress.profile(ctx, ovs, new ArrayList<>());
    outcome = podIngress.outcome(ovs, profile, outcome, emitted, parsed, left(deadline));
    List<DecodedStep> steps;
    if (session.isPresent()) {
      steps = session.get().decodeSteps(parsed);
      try {
        outcome = session.get().explainDrop(outcome, parsed, findings);
        outcome = session.get().explainStop(outcome, steps, parsed);
      } catch (AgentException e) {
        findings.add(
            TraceFinding.warning(
                "ovn-decode-failed", "cannot explain the drop: " + e.getMessage()));
      }
      findings.addAll(session.get().problems());
    } else {
      steps = parsed.steps().stream().map(s -> new DecodedStep(s, Optional.empty())).toList();
    }
    Optional<KernelPart> hop =
        kernel.after(outcome, HostSidePorts.of(ovs), emitted, spec, findings, deadline);
    hop = podIngress.kernelNextHop(profile, hop, findings, left(deadline));
    outcome = KernelStage.outcome(outcome, hop);
    GatewaySnat.finding(outcome, hop, spec.packet(), emitted).ifPresent(findings::add);
    List<SizeCheck> sizes = new ArrayList<>();
    // The pods' own stacks: the source pod must send it (whole or in fragments, which the tunnel
    // then carries), the destination pod take and answer it.
    PodEdges.Sent sent = pods.source(source, spec, sizes, findings, deadline);
    outcome =
        TunnelSize.budget(
            kernel, ctx.nodeName(), outcome, ovs, sent.ipLength(), sizes, findings, deadline);
    outcome = pods.destination(spec, sent.ipLength(), outcome, emitted, sizes, findings, deadline);
    outcome = sent.dropped().orElse(outcome);
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
        hop,
        sizes);
  }

  static Duration left(Instant deadline) {
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
