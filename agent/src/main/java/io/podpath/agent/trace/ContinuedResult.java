package io.podpath.agent.trace;

import io.podpath.agent.ip.IpLiteral;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node's answer for a trace continued past a load balancer's backend choice: the stopped pass
 * and the continued one joined, with what the continuation shows (a hairpin's SNAT, a gateway
 * router's forced SNAT, or a packet that comes back into its sender from its own address and dies
 * there).
 */
final class ContinuedResult {
  /** A conntrack commit that SNATs, in datapath actions: {@code ct(commit,zone=4,nat(src=IP))}. */
  private static final Pattern SNAT = Pattern.compile("ct\\(commit,[^()]*nat\\(src=([^),]+)\\)\\)");

  private ContinuedResult() {}

  static NodeTraceResult merge(
      NodeTraceResult stopped,
      NodeTraceResult continued,
      LbContinuation.Continued c,
      Optional<PodEdges.Source> source,
      Optional<OvnLink.Session> session,
      boolean includeRaw) {
    NodeTraceResult cont = ForceSnat.applied(session, stopped, continued, c.packet());
    List<TraceFinding> all = new ArrayList<>(cont.findings());
    Matcher snat = SNAT.matcher(cont.datapathActions());
    boolean snatted = false;
    while (snat.find()) {
      snatted = true;
      all.add(
          TraceFinding.info(
              "lb-snat",
              "after the load balancer the datapath SNATs the packet to "
                  + snat.group(1)
                  + " on this node ("
                  + snat.group(0)
                  + ")"));
    }
    Outcome outcome = cont.outcome();
    if (!snatted
        && outcome.kind() == Outcome.Kind.LOCAL_POD
        && source.isPresent()
        && outcome.pod().equals(Optional.of(source.get().pod()))
        && c.packet().src().equals(c.packet().dst())) {
      // Without OVN's hairpin SNAT the packet comes back into its sender with the sender's own
      // address as source; Linux drops a packet from a local address arriving on an interface
      // (the martian check), unless accept_local is set.
      String text =
          "the packet comes back into pod "
              + source.get().pod()
              + "'s own port with its own address "
              + IpLiteral.format(c.packet().src())
              + " as source (no hairpin SNAT on the way): the pod's kernel drops a packet from a"
              + " local address (accept_local off, the Linux default; not read)";
      outcome =
          new Outcome(
              Outcome.Kind.DROPPED,
              text,
              outcome.portName(),
              outcome.ofport(),
              outcome.pod(),
              Optional.empty(),
              Optional.of(
                  new Outcome.Drop(
                      -1, "", text, Optional.empty(), Optional.empty(), "pod-local-source")),
              outcome.recirculation(),
              List.of());
    }
    List<DecodedStep> steps = new ArrayList<>(stopped.steps());
    steps.addAll(cont.steps());
    return new NodeTraceResult(
        cont.node(),
        cont.bridge(),
        stopped.flow() + "\n" + cont.flow(),
        steps,
        cont.finalFlow(),
        stopped.datapathActions() + "\n" + cont.datapathActions(),
        outcome,
        includeRaw ? stopped.raw() + "\n" + cont.raw() : "",
        all,
        cont.via(),
        cont.kernel(),
        cont.sizeChecks(),
        cont.conntrack());
  }
}
