package io.podpath.agent.trace;

import io.podpath.agent.ip.IpLiteral;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides where a traced packet went from the datapath actions of every pass: datapath ports are
 * mapped back to OpenFlow ports by {@code dpif/show}, then to what OVSDB says about them.
 */
public final class OutcomeClassifier {
  private OutcomeClassifier() {}

  /** The outcome and any findings made on the way. */
  public record Result(Outcome outcome, List<TraceFinding> findings) {}

  public static Result classify(
      ParsedTrace trace, DpifPorts dpif, Map<String, PortInfo> interfaces, String bridge) {
    List<TraceFinding> findings = new ArrayList<>();
    List<Outcome> terminals = new ArrayList<>();
    Set<String> followed = new HashSet<>();
    trace.passes().forEach(p -> followed.add(p.recircId()));
    String unfollowed = "";
    for (TracePass pass : trace.passes()) {
      List<DpAction> actions = DatapathActionsParser.parse(pass.datapathActions());
      int before = terminals.size();
      collect(actions, false, pass, dpif, interfaces, bridge, terminals, findings);
      boolean pushed =
          terminals.subList(before, terminals.size()).stream()
              .anyMatch(o -> o.kind() == Outcome.Kind.TUNNEL);
      if (!pushed) {
        ThawedTunnel.derive(trace.passes().get(0), pass, actions, interfaces)
            .ifPresent(terminals::add);
      }
      if (!pushed && UnresolvedTunnel.missed(pass)) {
        UnresolvedTunnel.derive(pass, actions, interfaces)
            .ifPresent(
                o -> {
                  terminals.add(o);
                  findings.add(
                      TraceFinding.warning(
                          "tunnel-neighbor-unresolved",
                          "ovs-vswitchd had no underlay neighbour for "
                              + o.tunnel().orElseThrow().remoteIp()
                              + " yet (it sent an ARP request): the real packet would be dropped;"
                              + " the tunnel output shown is what the next packet does"));
                });
      }
      for (int i = 0; i < actions.size(); i++) {
        if (actions.get(i) instanceof DpAction.Recirc r && !followed.contains(r.id())) {
          boolean hashed = i > 0 && actions.get(i - 1) instanceof DpAction.Hash;
          unfollowed =
              hashed
                  ? actions.get(i - 1).text()
                      + ","
                      + r.text()
                      + ": ofproto/trace does not follow a recirculation after a datapath hash"
                      + " (e.g. an OVN load balancer choosing a backend); trace one backend directly"
                  : r.text() + ": ofproto/trace did not follow this recirculation";
        }
      }
    }
    Outcome outcome;
    if (terminals.size() == 1) {
      outcome = terminals.get(0);
    } else if (terminals.size() > 1) {
      String summary =
          "multiple outputs: "
              + String.join("; ", terminals.stream().map(Outcome::summary).toList());
      outcome =
          new Outcome(
              Outcome.Kind.MULTIPLE,
              summary,
              "",
              -1,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              "",
              terminals);
    } else if (!unfollowed.isEmpty()) {
      outcome =
          new Outcome(
              Outcome.Kind.RECIRCULATION,
              "stopped at " + unfollowed,
              "",
              -1,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              unfollowed,
              List.of());
    } else {
      outcome = dropped(trace);
    }
    if (!unfollowed.isEmpty() && outcome.kind() != Outcome.Kind.RECIRCULATION) {
      findings.add(TraceFinding.info("trace-recirc-not-followed", unfollowed));
    }
    return new Result(outcome, findings);
  }

  /**
   * {@code pushed}: a tunnel push came earlier in the enclosing actions. A clone after it acts on
   * the encapsulated packet (e.g. an uplink bridge committing it to the host's conntrack zone on
   * its way to the NIC, as OVN-Kubernetes' shared gateway does on the userspace datapath).
   */
  private static void collect(
      List<DpAction> actions,
      boolean pushed,
      TracePass pass,
      DpifPorts dpif,
      Map<String, PortInfo> interfaces,
      String bridge,
      List<Outcome> out,
      List<TraceFinding> findings) {
    for (int i = 0; i < actions.size(); i++) {
      DpAction a = actions.get(i);
      if (a instanceof DpAction.Clone c) {
        collect(c.actions(), pushed, pass, dpif, interfaces, bridge, out, findings);
      } else if (a instanceof DpAction.TunnelPush t) {
        pushed = true;
        out.add(tunnel(t, actions.subList(0, i), pass, dpif, interfaces, findings));
      } else if (a instanceof DpAction.Userspace u && u.controller()) {
        out.add(Outcome.simple(Outcome.Kind.CONTROLLER, controllerWords(u.text())));
      } else if (a instanceof DpAction.Output o) {
        Optional<DpifPorts.Port> port = dpif.byDatapathPort(o.port());
        if (pushed && port.map(p -> !p.bridge().equals(bridge)).orElse(true)) {
          // the encapsulated packet leaving by the underlay NIC: part of the tunnel output
          continue;
        }
        if (port.isEmpty()) {
          findings.add(
              TraceFinding.warning(
                  "dp-port-unknown", "datapath port " + o.port() + " is not in dpif/show"));
          out.add(
              Outcome.port(
                  Outcome.Kind.OTHER_PORT,
                  "output to datapath port " + o.port() + " (not in dpif/show)",
                  "",
                  -1,
                  Optional.empty()));
          continue;
        }
        out.add(output(port.get(), interfaces.get(port.get().name()), bridge));
      }
    }
  }

  private static Outcome output(DpifPorts.Port port, @Nullable PortInfo info, String bridge) {
    String where = " (port " + port.name() + ", ofport " + port.ofport() + ")";
    String type = info != null ? info.type() : port.type();
    Optional<PodName> pod = info == null ? Optional.empty() : PodName.fromIfaceId(info.ifaceId());
    // a pod's port on another bridge is still the pod (a reply traced from an uplink bridge that
    // patches into the integration bridge ends there)
    if (!port.bridge().equals(bridge) && pod.isEmpty()) {
      return Outcome.port(
          Outcome.Kind.GATEWAY,
          "output to " + port.name() + " on bridge " + port.bridge() + where,
          port.name(),
          port.ofport(),
          Optional.empty());
    }
    if ("patch".equals(type)) {
      return Outcome.port(
          Outcome.Kind.PATCH, "output to patch port" + where, port.name(), port.ofport(), pod);
    }
    if (pod.isPresent()) {
      return Outcome.port(
          Outcome.Kind.LOCAL_POD,
          "output to pod " + pod.get() + where,
          port.name(),
          port.ofport(),
          pod);
    }
    if ("internal".equals(type) || ("tap".equals(type) && port.ofport() == 65534)) {
      return Outcome.port(
          Outcome.Kind.HOST, "output to the host" + where, port.name(), port.ofport(), pod);
    }
    return Outcome.port(
        Outcome.Kind.OTHER_PORT, "output to port" + where, port.name(), port.ofport(), pod);
  }

  private static Outcome tunnel(
      DpAction.TunnelPush t,
      List<DpAction> before,
      TracePass pass,
      DpifPorts dpif,
      Map<String, PortInfo> interfaces,
      List<TraceFinding> findings) {
    Optional<DpifPorts.Port> port = dpif.byDatapathPort(t.tunnelPort());
    PortInfo info = port.map(p -> interfaces.get(p.name())).orElse(null);
    String remote = t.outerDst().map(IpLiteral::format).orElse(info == null ? "" : info.remoteIp());
    String local = t.outerSrc().map(IpLiteral::format).orElse(info == null ? "" : info.localIp());
    InnerPacket.Result inner = InnerPacket.asItLeaves(pass.finalFlow(), before);
    inner.problem().ifPresent(p -> findings.add(TraceFinding.warning("tunnel-inner-packet", p)));
    String name = port.map(DpifPorts.Port::name).orElse("");
    int ofport = port.map(DpifPorts.Port::ofport).orElse(-1);
    // The userspace datapath gives every tunnel of one type the same datapath port, so the
    // datapath port alone names an arbitrary one of them: the remote IP says which it is.
    Optional<PortInfo> byRemote = tunnelTo(interfaces, t.type(), remote);
    if (byRemote.isPresent()) {
      name = byRemote.get().name();
      ofport = byRemote.get().ofport();
    }
    String summary =
        "output to "
            + t.type()
            + " tunnel to "
            + remote
            + " (VNI 0x"
            + Long.toHexString(Math.max(0, t.vni()))
            + (name.isEmpty() ? "" : ", port " + name + ", ofport " + ofport)
            + ")";
    Outcome.Tunnel tunnel =
        new Outcome.Tunnel(
            name,
            ofport,
            t.type(),
            remote,
            local,
            Math.max(0, t.vni()),
            t.geneveOptions(),
            inner.packet(),
            inner.flow());
    return new Outcome(
        Outcome.Kind.TUNNEL,
        summary,
        name,
        ofport,
        Optional.empty(),
        Optional.of(tunnel),
        Optional.empty(),
        "",
        List.of());
  }

  private static Optional<PortInfo> tunnelTo(
      Map<String, PortInfo> interfaces, String type, String remoteIp) {
    if (remoteIp.isEmpty()) {
      return Optional.empty();
    }
    return interfaces.values().stream()
        .filter(PortInfo::isTunnel)
        .filter(p -> p.type().equals(type) && p.remoteIp().equals(remoteIp))
        .min(Comparator.comparing(PortInfo::name));
  }

  private static Outcome dropped(ParsedTrace trace) {
    Optional<TracePass> lastPass = trace.lastPass();
    if (lastPass.isEmpty() || lastPass.get().steps().isEmpty()) {
      return Outcome.simple(Outcome.Kind.DROPPED, "dropped (the trace shows no table)")
          .withDrop(
              new Outcome.Drop(0, "", "no table lookup", Optional.empty(), Optional.empty()),
              "dropped (the trace shows no table)");
    }
    List<TraceStep> steps = lastPass.get().steps();
    TraceStep step = steps.get(steps.size() - 1);
    String reason;
    Optional<String> note =
        steps.stream()
            .flatMap(s -> s.notes().stream())
            .filter(n -> n.startsWith(">>"))
            .reduce((a, b) -> b);
    if (note.isPresent()) {
      reason = note.get().substring(2).strip();
      step =
          steps.stream()
              .filter(s -> s.notes().contains(note.get()))
              .reduce((a, b) -> b)
              .orElse(step);
    } else if (!step.matched()) {
      reason = "no flow matched in table " + step.table();
    } else if (step.drops()) {
      reason = "the flow in table " + step.table() + " drops";
    } else {
      reason = "no output action (empty datapath actions)";
    }
    String summary =
        "dropped in table "
            + step.table()
            + (step.cookie().isEmpty() ? "" : " (cookie " + step.cookie() + ")")
            + ": "
            + reason;
    return Outcome.simple(Outcome.Kind.DROPPED, summary)
        .withDrop(
            new Outcome.Drop(
                step.table(), step.cookie(), reason, Optional.empty(), Optional.empty()),
            summary);
  }

  private static final java.util.regex.Pattern RULE_COOKIE =
      java.util.regex.Pattern.compile("rule_cookie=(0x[0-9a-fA-F]+)");

  /**
   * The datapath's userspace(...controller(...)) action in words: the packet goes to the OpenFlow
   * controller (ovn-controller on OVN nodes), named by the flow's cookie; the raw action stays in
   * the node's datapath actions.
   */
  static String controllerWords(String action) {
    java.util.regex.Matcher m = RULE_COOKIE.matcher(action);
    return "sent to the OpenFlow controller"
        + (m.find() ? " by the flow with cookie " + m.group(1) : "")
        + " (the switch's slow path: the packet is not forwarded by the datapath)";
  }
}
