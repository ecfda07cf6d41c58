package io.podpath.agent.conntrack;

import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.kernel.NodeAccess;
import io.podpath.agent.trace.CtState;
import io.podpath.agent.trace.NodeTraceResult;
import io.podpath.agent.trace.Outcome;
import io.podpath.agent.trace.PacketHeaders;
import io.podpath.agent.trace.TraceFinding;
import io.podpath.agent.trace.TraceSpec;
import io.podpath.agent.trace.Tracer;
import io.podpath.agent.unixctl.Unixctl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conntrack on the path, around the OVS/kernel tracer. When the packet's datapath actions use ct(),
 * the node's userspace conntrack fill is read (and per-zone limits of the zones used). A full table
 * admits no new entry, and the sandbox shows what follows (OVS 3.1 userspace): the first packet of
 * a new connection still passes, but the connection's replies then find no entry and are judged as
 * new packets — invalid for TCP, ICMP and SCTP (not a SYN, an echo request or an INIT), which OVN
 * drops, and new for UDP, which passes. So a reply traced on a full node whose table holds no entry
 * for the connection is traced again with that state, and a drop is named "conntrack table full". A
 * packet whose connection has an entry keeps flowing.
 */
public final class ConntrackTracer implements Tracer {
  private static final Pattern CT = Pattern.compile("\\bct\\(((?:[^()]|\\([^()]*\\))*)\\)");
  private static final Pattern ZONE = Pattern.compile("(?:^|,)zone=(\\d{1,5})");
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final String node;
  private final Tracer delegate;
  private final OvsConntrack ovs;
  private final NodeAccess host;

  public ConntrackTracer(String node, Tracer delegate, Unixctl vswitchd, NodeAccess host) {
    this.node = node;
    this.delegate = delegate;
    this.ovs = new OvsConntrack(vswitchd);
    this.host = host;
  }

  @Override
  public NodeTraceResult trace(TraceSpec spec, Duration budget) {
    return trace(spec, budget, false);
  }

  @Override
  public NodeTraceResult trace(TraceSpec spec, Duration budget, boolean conntrackEntries) {
    NodeTraceResult r = delegate.trace(spec, budget);
    Set<Integer> zones = zones(r.datapathActions());
    CtTuple packet = tuple(spec.packet());
    List<ConntrackFill> fills = new ArrayList<>();
    List<CtEntry> entries = new ArrayList<>();
    List<TraceFinding> findings = new ArrayList<>(r.findings());
    Outcome outcome = r.outcome();
    if (r.datapathActions().contains("ct(")) {
      fills.addAll(ovs.fills(zones, TIMEOUT).orElse(List.of()));
    }
    Optional<ConntrackFill> full = fills.stream().filter(ConntrackFill::full).findFirst();
    if (full.isPresent() || conntrackEntries) {
      entries.addAll(ovs.entries(packet, TIMEOUT));
    }
    if (full.isPresent()) {
      String fill = "conntrack table full on " + node + " (" + full.get().text() + ")";
      // ICMP entries match on the addresses only (the echo id is not traced): a new ping carries a
      // new id, so an entry between the same addresses is not this packet's connection.
      boolean ownEntry = !entries.isEmpty() && !packet.proto().startsWith("icmp");
      if (ownEntry) {
        findings.add(
            TraceFinding.info(
                "conntrack-full-existing",
                fill + ": this packet's connection already has an entry, so it keeps flowing"));
      } else if (isReply(spec)) {
        Set<CtState> state = newStateOf(spec.packet());
        r = delegate.trace(withCt(spec, state), budget);
        findings = new ArrayList<>(r.findings());
        outcome = named(r.outcome(), fill, state);
        findings.add(
            TraceFinding.warning(
                "conntrack-full",
                fill
                    + ": the connection got no entry, so this reply is a "
                    + (state.contains(CtState.INV) ? "invalid (+inv)" : "new (+new)")
                    + " packet to conntrack; traced as such"));
      } else {
        findings.add(
            TraceFinding.warning(
                "conntrack-full",
                fill
                    + ": this NEW connection gets no entry here; its replies will find none"
                    + " (TCP, ICMP and SCTP replies are then invalid)"));
      }
    }
    r.kernel().ifPresent(k -> kernelFill().ifPresent(fills::add));
    List<String> shown = new ArrayList<>();
    if (conntrackEntries) {
      entries.forEach(e -> shown.add(e.text()));
      if (r.kernel().isPresent()) {
        kernelEntries(packet).forEach(e -> shown.add("kernel: " + e.text()));
      }
    }
    return r.with(outcome, findings, new ConntrackView(fills, shown));
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** A drop after the re-trace is the full table's doing: say so, with a stable code. */
  private static Outcome named(Outcome o, String fill, Set<CtState> state) {
    if (o.kind() != Outcome.Kind.DROPPED || o.drop().isEmpty()) {
      return o;
    }
    Outcome.Drop d = o.drop().get();
    String why =
        fill
            + ": the connection has no entry, so the reply is "
            + (state.contains(CtState.INV) ? "invalid" : "new")
            + " and "
            + d.reason();
    return o.withSummary(why)
        .withDrop(
            new Outcome.Drop(
                d.table(), d.cookie(), why, d.policy(), d.logicalFlow(), "conntrack-full"));
  }

  /** The aggregator traces a reply as established, reply direction. */
  static boolean isReply(TraceSpec spec) {
    return !spec.ctNext().isEmpty()
        && spec.ctNext().get(0).contains(CtState.EST)
        && spec.ctNext().get(0).contains(CtState.RPL);
  }

  /** What conntrack makes of a packet it has no entry for (OVS conntrack's valid_new). */
  static Set<CtState> newStateOf(PacketHeaders p) {
    return switch (p.protocol()) {
      case UDP -> Set.of(CtState.TRK, CtState.NEW);
      case TCP, SCTP, ICMP -> Set.of(CtState.TRK, CtState.INV);
    };
  }

  private static TraceSpec withCt(TraceSpec s, Set<CtState> state) {
    return new TraceSpec(
        s.ingress(), s.packet(), List.of(state), s.includeRaw(), s.size(), s.df(), s.lbBackend());
  }

  static Set<Integer> zones(String datapathActions) {
    Set<Integer> out = new HashSet<>();
    Matcher m = CT.matcher(datapathActions);
    while (m.find()) {
      Matcher z = ZONE.matcher(m.group(1));
      out.add(z.find() ? Integer.parseInt(z.group(1)) : 0);
    }
    return out;
  }

  static CtTuple tuple(PacketHeaders p) {
    String proto =
        switch (p.protocol()) {
          case TCP -> "tcp";
          case UDP -> "udp";
          case SCTP -> "sctp";
          case ICMP -> p.ipv6() ? "icmpv6" : "icmp";
        };
    return new CtTuple(
        proto, IpLiteral.format(p.src()), IpLiteral.format(p.dst()), p.srcPort(), p.dstPort());
  }

  private Optional<ConntrackFill> kernelFill() {
    OptionalLong count = number(host.read("/proc/sys/net/netfilter/nf_conntrack_count"));
    OptionalLong max = number(host.read("/proc/sys/net/netfilter/nf_conntrack_max"));
    if (count.isEmpty() || max.isEmpty()) {
      return Optional.empty();
    }
    long c = count.getAsLong();
    long m = max.getAsLong();
    return Optional.of(new ConntrackFill("kernel", c, m, m > 0 && c >= m));
  }

  /** {@code conntrack -L} filtered by the typed tuple, original then reply direction. */
  private List<CtEntry> kernelEntries(CtTuple p) {
    List<CtEntry> out = new ArrayList<>();
    for (String dir : List.of("orig", "reply")) {
      List<String> argv =
          new ArrayList<>(
              List.of(
                  "conntrack",
                  "-L",
                  "-p",
                  p.proto(),
                  "--" + dir + "-src",
                  p.src(),
                  "--" + dir + "-dst",
                  p.dst()));
      try {
        CommandResult r = host.run(argv);
        if (r.ok()) {
          CtEntry.parseConntrackL(r.stdout()).stream()
              .filter(e -> e.matches(p) && out.stream().noneMatch(x -> x.text().equals(e.text())))
              .forEach(out::add);
        }
      } catch (RuntimeException e) {
        return out; // no conntrack tool or no module: the entries are optional detail
      }
    }
    return out;
  }

  private static OptionalLong number(Optional<String> v) {
    try {
      return v.isPresent()
          ? OptionalLong.of(Long.parseLong(v.get().strip()))
          : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
