package io.podpath.agent.trace;

import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.ovn.LogicalFlowInfo;
import io.podpath.agent.ovn.Southbound;
import io.podpath.agent.ovsdb.OvsdbRow;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SNAT an OVN gateway router's load balancer forces on what it DNATs (OVN-Kubernetes sets
 * {@code options:lb_force_snat_ip} on GR_NODE): the load balancer's logical flow sets {@code
 * flags.force_snat_for_lb}, and the router's {@code lr_out_snat} turns that flag into {@code
 * ct_snat(IP)} for the port the packet leaves by. The flag is a register: a trace continued past
 * the load balancer's backend choice ({@link LbContinuation}) enters the router again by the patch
 * from the outside switch, whose logical patch clears every register, so the continued trace leaves
 * the router with the outside source while the datapath's packet leaves with the router's address
 * (and its reply comes back to that router). Found from the traces' own logical flows and the
 * router's {@code lr_out_snat} rows in the Southbound; applied to the packet the continuation hands
 * on.
 */
final class ForceSnat {
  private ForceSnat() {}

  /** The router's SNAT of a packet its load balancer forced, and the flows that say so. */
  record Snat(String router, String outport, InetAddress address, String lbFlow, String snatFlow) {}

  static final String FLAG = "flags.force_snat_for_lb";
  private static final Pattern OUTPORT = Pattern.compile("outport = \"([^\"]+)\";");
  private static final Pattern CT_SNAT = Pattern.compile("ct_snat\\(([0-9a-fA-F.:]+)\\);");

  /**
   * The SNAT the router applies to the continued packet: when a load balancer flow of the stopped
   * pass set the flag, the continuation routed the packet out of that router (its last {@code
   * outport = "P"} there) through its {@code lr_out_snat} stage without the flag, and the router
   * has exactly the flow {@code flags.force_snat_for_lb == 1 && ip4|ip6 && outport == "P"} with
   * {@code ct_snat(IP)}. Empty otherwise (also when the continuation carried the flag itself).
   */
  static Optional<Snat> find(
      List<DecodedStep> stopped, List<DecodedStep> continued, PacketHeaders packet, Southbound sb) {
    Optional<LogicalFlowInfo> lb =
        flows(stopped).stream()
            .filter(f -> f.datapath().isPresent() && f.actions().contains(FLAG + " = 1;"))
            .reduce((a, b) -> b);
    if (lb.isEmpty()) {
      return Optional.empty();
    }
    String router = lb.get().datapath().orElseThrow();
    List<LogicalFlowInfo> there =
        flows(continued).stream().filter(f -> f.datapath().equals(Optional.of(router))).toList();
    Optional<String> outport = Optional.empty();
    boolean snatStage = false;
    for (LogicalFlowInfo f : there) {
      Matcher m = OUTPORT.matcher(f.actions());
      if ("ingress".equals(f.pipeline()) && m.find()) {
        outport = Optional.of(m.group(1));
      }
      snatStage |= f.stage().equals(Optional.of("lr_out_snat"));
      if (f.match().contains(FLAG + " == 1") || f.actions().contains(FLAG + " = 1;")) {
        return Optional.empty();
      }
    }
    Optional<OvsdbRow> dp = sb.datapathNamed(router);
    if (outport.isEmpty() || !snatStage || dp.isEmpty()) {
      return Optional.empty();
    }
    String family = packet.dst() instanceof Inet6Address ? "ip6" : "ip4";
    List<String> want =
        List.of(FLAG + " == 1", family, "outport == \"" + outport.get() + "\"").stream()
            .sorted()
            .toList();
    Optional<OvsdbRow> rule =
        sb.flowsOf(dp.get().uuid(), "egress").stream()
            .filter(r -> "lr_out_snat".equals(r.map("external_ids").get("stage-name")))
            .filter(r -> conjuncts(r.string("match")).equals(want))
            .max(Comparator.comparingLong(r -> r.integer("priority").orElse(0)));
    if (rule.isEmpty()) {
      return Optional.empty();
    }
    Matcher ip = CT_SNAT.matcher(rule.get().string("actions").strip());
    if (!ip.matches()) {
      return Optional.empty();
    }
    String port = outport.get();
    return IpLiteral.tryParse(ip.group(1))
        .map(
            a ->
                new Snat(
                    router,
                    port,
                    a,
                    describe(lb.get().stage(), lb.get().match(), lb.get().actions()),
                    describe(
                        Optional.of("lr_out_snat"),
                        rule.get().string("match"),
                        rule.get().string("actions"))));
  }

  private static List<LogicalFlowInfo> flows(List<DecodedStep> steps) {
    List<LogicalFlowInfo> out = new ArrayList<>();
    steps.forEach(s -> s.logicalFlow().ifPresent(out::add));
    return out;
  }

  private static List<String> conjuncts(String match) {
    return Arrays.stream(match.split("&&")).map(String::strip).sorted().toList();
  }

  private static String describe(Optional<String> stage, String match, String actions) {
    return stage.orElse("?") + " " + match + " => " + actions;
  }

  /**
   * {@code cont} with the SNAT a gateway router's load balancer forced applied, when it did (the
   * flag the continuation lost at the patch); {@code cont} itself otherwise.
   */
  static NodeTraceResult applied(
      Optional<OvnLink.Session> session,
      NodeTraceResult stopped,
      NodeTraceResult cont,
      PacketHeaders sent) {
    return session
        .flatMap(s -> s.forceSnat(stopped.steps(), cont.steps(), sent))
        .map(s -> apply(cont, s, sent))
        .orElse(cont);
  }

  /**
   * The continued node's answer with the router's SNAT applied to the packet it hands on (a
   * tunnel's inner packet) and a finding {@code lb-force-snat} that says where it came from.
   */
  static NodeTraceResult apply(NodeTraceResult cont, Snat s, PacketHeaders sent) {
    Outcome outcome = withSource(cont.outcome(), sent.src(), s.address());
    List<TraceFinding> f = new ArrayList<>(cont.findings());
    f.add(
        TraceFinding.info(
            "lb-force-snat",
            s.router()
                + "'s load balancer forces SNAT ("
                + s.lbFlow()
                + "), so the datapath SNATs the packet to "
                + IpLiteral.format(s.address())
                + " as it leaves "
                + s.router()
                + " by "
                + s.outport()
                + " ("
                + s.snatFlow()
                + "): source "
                + IpLiteral.format(sent.src())
                + " -> "
                + IpLiteral.format(s.address())
                + ". ofproto/trace loses the flag where the continuation enters "
                + s.router()
                + " again (the logical patch clears the registers), so podpath applies it to"
                + " the packet it hands on; the reply goes back to that address"));
    return new NodeTraceResult(
        cont.node(),
        cont.bridge(),
        cont.flow(),
        cont.steps(),
        cont.finalFlow(),
        cont.datapathActions(),
        outcome,
        cont.raw(),
        f,
        cont.via(),
        cont.kernel(),
        cont.sizeChecks(),
        cont.conntrack());
  }

  private static Outcome withSource(Outcome o, InetAddress from, InetAddress to) {
    List<Outcome> parts = o.parts().stream().map(p -> withSource(p, from, to)).toList();
    Optional<Outcome.Tunnel> tunnel = o.tunnel().map(t -> withSource(t, from, to));
    return new Outcome(
        o.kind(),
        o.summary(),
        o.portName(),
        o.ofport(),
        o.pod(),
        tunnel,
        o.drop(),
        o.recirculation(),
        parts,
        o.podIp());
  }

  private static Outcome.Tunnel withSource(Outcome.Tunnel t, InetAddress from, InetAddress to) {
    if (t.inner().isEmpty() || !t.inner().get().src().equals(from)) {
      return t;
    }
    PacketHeaders p = t.inner().get();
    PacketHeaders natted =
        new PacketHeaders(
            to,
            p.dst(),
            p.protocol(),
            p.srcPort(),
            p.dstPort(),
            p.icmpType(),
            p.icmpCode(),
            p.srcMac(),
            p.dstMac(),
            p.ttl());
    String key = from instanceof Inet6Address ? "ipv6_src=" : "nw_src=";
    String flow =
        t.innerFlow().replace(key + IpLiteral.format(from) + ",", key + IpLiteral.format(to) + ",");
    return new Outcome.Tunnel(
        t.portName(),
        t.ofport(),
        t.type(),
        t.remoteIp(),
        t.localIp(),
        t.vni(),
        t.geneveOptions(),
        Optional.of(natted),
        flow,
        t.viaFabric());
  }
}
