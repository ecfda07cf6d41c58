package io.podpath.agent.trace;

import io.podpath.agent.errors.AgentException;
import io.podpath.agent.ovn.LoadBalancerInfo;
import io.podpath.agent.ovn.LogicalFlowInfo;
import io.podpath.agent.ovn.Northbound;
import io.podpath.agent.ovn.OvnAddressing;
import io.podpath.agent.ovn.OvnDecoder;
import io.podpath.agent.ovn.OvnTables;
import io.podpath.agent.ovn.OvsdbOvnTables;
import io.podpath.agent.ovn.Southbound;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsdbClient;
import io.podpath.agent.ovsdb.Remote;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The trace's way into OVN: finds the Southbound remote ({@code --ovn-sb}, else the node's
 * external_ids:ovn-remote) and a Northbound one (given, else guessed next to the SB: port 6641, or
 * ovnnb_db.sock beside ovnsb_db.sock), keeps one {@link OvnTables} per SB remote, and opens a
 * {@link Session} per trace. A node without ovn-remote is a plain OVS node: no session.
 */
public final class OvnLink implements AutoCloseable {
  private final Optional<Remote> sbOverride;
  private final Optional<Remote> nbOverride;
  private final Function<Remotes, OvnTables> factory;
  private final Map<String, OvnTables> tables = new HashMap<>();
  private final List<OvsdbClient> clients = new ArrayList<>();

  /** The SB and (maybe) NB remotes one {@link OvnTables} reads. */
  public record Remotes(Remote sb, Optional<Remote> nb) {}

  public OvnLink(Optional<Remote> sbOverride, Optional<Remote> nbOverride) {
    this.sbOverride = sbOverride;
    this.nbOverride = nbOverride;
    this.factory = this::connect;
  }

  /** For tests: tables from recorded rows, whatever the node says. */
  public OvnLink(Function<Remotes, OvnTables> factory) {
    this.sbOverride = Optional.empty();
    this.nbOverride = Optional.empty();
    this.factory = factory;
  }

  /** A session for one trace, or empty on a node without OVN (or with its SB out of reach). */
  public Optional<Session> open(OvsState ovs, Duration timeout, List<TraceFinding> findings) {
    String configured = ovs.system().externalIds().getOrDefault("ovn-remote", "");
    List<Remote> candidates = sbOverride.map(List::of).orElseGet(() -> supported(configured));
    if (candidates.isEmpty()) {
      if (!configured.isEmpty()) {
        findings.add(
            TraceFinding.warning(
                "ovn-remote-unsupported",
                "external_ids:ovn-remote is "
                    + configured
                    + ": no unix: or tcp: remote to read the Southbound from (give --ovn-sb);"
                    + " cookies are not decoded"));
      }
      return Optional.empty();
    }
    // a clustered SB lists every member; any of them serves reads
    List<String> failures = new ArrayList<>();
    for (Remote sb : candidates) {
      OvnTables t = tablesFor(new Remotes(sb, nbOverride.or(() -> guessNb(sb))));
      try {
        Southbound s = t.southbound(timeout);
        Optional<Northbound> nb = t.northbound(timeout);
        if (nb.isEmpty()) {
          findings.add(
              TraceFinding.info(
                  "ovn-nb-unreachable",
                  "OVN Northbound not reachable ("
                      + t.describe()
                      + "): ACLs are shown from the Southbound only"));
        }
        return Optional.of(new Session(t, s, nb, timeout));
      } catch (AgentException e) {
        failures.add(t.describe() + ": " + e.getMessage());
      }
    }
    findings.add(
        TraceFinding.warning(
            "ovn-sb-unreachable",
            "OVN Southbound not reachable, cookies are not decoded: "
                + String.join("; ", failures)));
    return Optional.empty();
  }

  /** Every unix: / tcp: remote of a comma-separated OVS remote list, in order. */
  static List<Remote> supported(String list) {
    List<Remote> out = new ArrayList<>();
    for (String part : list.split(",")) {
      String p = part.strip();
      if (p.startsWith("unix:") || p.startsWith("tcp:")) {
        try {
          out.add(Remote.parse(p));
        } catch (AgentException e) {
          // not a remote we can speak to: try the next one
        }
      }
    }
    return out;
  }

  private synchronized OvnTables tablesFor(Remotes r) {
    return tables.computeIfAbsent(r.toString(), k -> factory.apply(r));
  }

  private OvnTables connect(Remotes r) {
    OvsdbClient sb = new OvsdbClient(r.sb());
    Optional<OvsdbClient> nb = r.nb().map(OvsdbClient::new);
    synchronized (this) {
      clients.add(sb);
      nb.ifPresent(clients::add);
    }
    return new OvsdbOvnTables(sb, nb);
  }

  static Optional<Remote> guessNb(Remote sb) {
    if (sb.tcp().isPresent() && sb.tcp().get().getPort() == 6642) {
      return Optional.of(Remote.parse(sb.toString().replaceFirst(":6642$", ":6641")));
    }
    if (sb.unixPath().isPresent()) {
      Path p = sb.unixPath().get();
      String name = p.getFileName().toString();
      if (name.contains("sb")) {
        return Optional.of(Remote.unix(p.resolveSibling(name.replace("sb", "nb"))));
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized void close() {
    clients.forEach(OvsdbClient::close);
    clients.clear();
    tables.clear();
  }

  /** One trace's view of OVN: the rows read once, cookies decoded once each. */
  public static final class Session {
    private final OvnTables tables;
    private final Duration timeout;
    private Southbound sb;
    private Optional<Northbound> nb;
    private boolean nbRefreshed;
    private final Map<String, Optional<LogicalFlowInfo>> byCookie = new HashMap<>();
    private final List<TraceFinding> problems = new ArrayList<>();
    private boolean refreshed;

    Session(OvnTables tables, Southbound sb, Optional<Northbound> nb, Duration timeout) {
      this.tables = tables;
      this.sb = sb;
      this.nb = nb;
      this.timeout = timeout;
    }

    Optional<String> podMac(String logicalPort) {
      return OvnAddressing.macOf(sb, logicalPort);
    }

    List<String> podIps(String logicalPort) {
      return OvnAddressing.ipsOf(sb, logicalPort);
    }

    Optional<String> nextHopMac(String logicalPort, InetAddress dst) {
      return OvnAddressing.nextHopMac(sb, logicalPort, dst);
    }

    /**
     * The SNAT a gateway router's load balancer forced on a packet a continuation traced without
     * the flag ({@link ForceSnat}); empty when none, or when the rows cannot be read (a finding).
     */
    Optional<ForceSnat.Snat> forceSnat(
        List<DecodedStep> stopped, List<DecodedStep> continued, PacketHeaders packet) {
      try {
        return ForceSnat.find(stopped, continued, packet, sb);
      } catch (AgentException e) {
        problems.add(
            TraceFinding.warning(
                "ovn-decode-failed",
                "cannot read the router's SNAT flows ("
                    + tables.describe()
                    + "): "
                    + e.getMessage()));
        return Optional.empty();
      }
    }

    /** What went wrong while decoding (reported as findings, never as a failed trace). */
    List<TraceFinding> problems() {
      return problems;
    }

    List<DecodedStep> decodeSteps(ParsedTrace parsed) {
      List<DecodedStep> out = new ArrayList<>();
      for (TraceStep s : parsed.steps()) {
        out.add(new DecodedStep(s, flowOf(s)));
      }
      return out;
    }

    Optional<LogicalFlowInfo> flowOf(TraceStep s) {
      if (s.cookie().isEmpty()) {
        return Optional.empty();
      }
      long metadata = FlowFields.parse(s.match()).number("metadata").orElse(-1L);
      String key = s.cookie() + "/" + s.table() + "/" + metadata;
      Optional<LogicalFlowInfo> hit = byCookie.get(key);
      if (hit != null) {
        return hit;
      }
      Optional<LogicalFlowInfo> f;
      try {
        f = decodeOnce(s, metadata);
      } catch (AgentException e) {
        // the OVN databases went away mid-trace: keep the OpenFlow facts, say what is missing
        if (problems.isEmpty()) {
          problems.add(
              TraceFinding.warning(
                  "ovn-decode-failed",
                  "cannot read OVN rows (" + tables.describe() + "): " + e.getMessage()));
        }
        f = Optional.empty();
      }
      byCookie.put(key, f);
      return f;
    }

    private Optional<LogicalFlowInfo> decodeOnce(TraceStep s, long metadata) {
      Optional<LogicalFlowInfo> f = OvnDecoder.flow(s.cookieValue(), s.table(), metadata, sb, nb);
      if (f.isEmpty() && !refreshed && !sb.isPortBindingCookie(s.cookieValue())) {
        // flows changed since the rows were read: one early reload per trace (a physical flow's
        // cookie names a port binding, not a logical flow: nothing is missing then)
        refreshed = true;
        sb = tables.southboundFresh(timeout);
        f = OvnDecoder.flow(s.cookieValue(), s.table(), metadata, sb, nb);
      }
      if (f.isPresent() && needsNewerNb(f.get()) && !nbRefreshed) {
        // an ACL or load balancer created since the NB rows were read
        nbRefreshed = true;
        nb = tables.northboundFresh(timeout);
        f = OvnDecoder.flow(s.cookieValue(), s.table(), metadata, sb, nb);
      }
      return f;
    }

    private boolean needsNewerNb(LogicalFlowInfo f) {
      return nb.isPresent()
          && f.stageHint().filter(h -> !nb.get().hintNamesTopology(h)).isPresent()
          && f.acl().isEmpty()
          && f.loadBalancer().isEmpty()
          && (f.isAclStage() || f.stage().filter(s -> s.contains("_lb")).isPresent());
    }

    /** A recirculation or a load balancer's reject the trace stopped at, in OVN's words. */
    Outcome explainStop(Outcome o, List<DecodedStep> steps, ParsedTrace parsed) {
      return explainRecirculation(LbReject.explain(o, steps, parsed), steps, parsed);
    }

    /**
     * Names the load balancer (and its Kubernetes Service) a RECIRCULATION stopped at, with the
     * backends of the packet's VIP, so the caller can trace each backend directly.
     */
    Outcome explainRecirculation(Outcome o, List<DecodedStep> steps, ParsedTrace parsed) {
      if (o.kind() != Outcome.Kind.RECIRCULATION) {
        return o;
      }
      Optional<LoadBalancerInfo> lb =
          steps.stream()
              .map(d -> d.logicalFlow().flatMap(LogicalFlowInfo::loadBalancer))
              .flatMap(Optional::stream)
              .reduce((a, b) -> b);
      if (lb.isEmpty()) {
        return o;
      }
      FlowFields in = FlowFields.parse(parsed.flow());
      String ip = in.get("nw_dst").or(() -> in.get("ipv6_dst").map(v -> "[" + v + "]")).orElse("");
      String vip = ip + in.get("tp_dst").map(p -> ":" + p).orElse("");
      String backends = lb.get().vips().getOrDefault(vip, lb.get().vips().getOrDefault(ip, ""));
      String owner = lb.get().externalIds().getOrDefault("k8s.ovn.org/owner", "");
      String summary =
          "stopped at OVN load balancer "
              + lb.get().name()
              + (owner.isEmpty() ? "" : " (Service " + owner + ")")
              + (backends.isEmpty() ? "" : ": " + vip + " -> " + backends)
              + "; ofproto/trace cannot follow the backend choice, trace a backend directly";
      return o.withSummary(summary);
    }

    /** Adds the logical flow, ACL and NetworkPolicy to a drop, and says it in the summary. */
    Outcome explainDrop(Outcome o, ParsedTrace parsed, List<TraceFinding> findings) {
      if (o.kind() != Outcome.Kind.DROPPED || o.drop().isEmpty() || parsed.lastPass().isEmpty()) {
        return o;
      }
      Outcome.Drop d = o.drop().get();
      TraceStep step =
          parsed.lastPass().get().steps().stream()
              .filter(s -> s.table() == d.table() && s.cookie().equals(d.cookie()))
              .reduce((a, b) -> b)
              .orElse(null);
      if (step == null) {
        return o;
      }
      Optional<LogicalFlowInfo> f = flowOf(step);
      if (f.isEmpty()) {
        return o;
      }
      LogicalFlowInfo flow = f.get();
      FlowFields ff = FlowFields.parse(parsed.finalFlow());
      long dp = ff.number("metadata").orElse(-1L);
      // a to-lport ACL (egress pipeline) guards the outport, a from-lport one the inport
      long port = ff.number("egress".equals(flow.pipeline()) ? "reg15" : "reg14").orElse(-1L);
      Optional<String> lsp = OvnDecoder.logicalPort(sb, dp, port);
      LogicalFlowInfo withPolicy = OvnDecoder.withPolicy(flow, lsp, nb);
      if (nb.isPresent()
          && !nbRefreshed
          && withPolicy.acl().isPresent()
          && withPolicy.policy().map(p -> p.name().isEmpty()).orElse(true)) {
        // a default deny whose policy port group is newer than the NB rows in hand
        nbRefreshed = true;
        nb = tables.northboundFresh(timeout);
        withPolicy = OvnDecoder.withPolicy(flow, lsp, nb);
      }
      flow = withPolicy;
      String where =
          "table "
              + d.table()
              + ", stage "
              + flow.stage().orElse("")
              + " of "
              + flow.datapath().orElse("")
              + flow.acl()
                  .map(a -> ", ACL " + (a.name().isEmpty() ? a.uuid() : a.name()))
                  .orElse("");
      String summary;
      if (flow.policy().isPresent()) {
        summary = flow.policy().get().describe() + ": dropped in " + where;
      } else if (flow.isAclStage()) {
        summary = "dropped by an OVN ACL in " + where + " (match: " + flow.match() + ")";
        if (nb.isEmpty()) {
          findings.add(
              TraceFinding.info(
                  "policy-unnamed",
                  "the ACL's owner is only in the Northbound DB, which is not reachable"));
        }
      } else {
        summary = "dropped in " + where + " (" + flow.match() + ")";
      }
      return o.withDrop(
          new Outcome.Drop(d.table(), d.cookie(), d.reason(), flow.policy(), Optional.of(flow)),
          summary);
    }
  }
}
