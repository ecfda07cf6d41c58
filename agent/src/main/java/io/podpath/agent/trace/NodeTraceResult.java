package io.podpath.agent.trace;

import io.podpath.agent.conntrack.ConntrackView;
import java.util.List;
import java.util.Optional;

/**
 * What TraceNode answers, inside the agent (the gRPC edge maps it to proto NodeTrace). {@code raw}
 * is empty unless the request asked for it; {@code via} says which path ran ofproto/trace
 * ("unixctl" or "exec"); {@code kernel} is the node kernel's part when OVS left the packet at a
 * host-side port; {@code sizeChecks} every place the packet's size was checked against an MTU on
 * this node (today: the tunnel underlay), in path order; {@code conntrack} the conntrack tables
 * (and entries) the packet meets.
 */
public record NodeTraceResult(
    String node,
    String bridge,
    String flow,
    List<DecodedStep> steps,
    String finalFlow,
    String datapathActions,
    Outcome outcome,
    String raw,
    List<TraceFinding> findings,
    String via,
    Optional<KernelPart> kernel,
    List<SizeCheck> sizeChecks,
    ConntrackView conntrack) {
  public NodeTraceResult {
    steps = List.copyOf(steps);
    findings = List.copyOf(findings);
    sizeChecks = List.copyOf(sizeChecks);
  }

  /** Without conntrack facts (the conntrack stage adds them: ConntrackTracer). */
  public NodeTraceResult(
      String node,
      String bridge,
      String flow,
      List<DecodedStep> steps,
      String finalFlow,
      String datapathActions,
      Outcome outcome,
      String raw,
      List<TraceFinding> findings,
      String via,
      Optional<KernelPart> kernel,
      List<SizeCheck> sizeChecks) {
    this(
        node,
        bridge,
        flow,
        steps,
        finalFlow,
        datapathActions,
        outcome,
        raw,
        findings,
        via,
        kernel,
        sizeChecks,
        ConntrackView.NONE);
  }

  /** The same answer with another outcome, findings and conntrack facts. */
  public NodeTraceResult with(Outcome o, List<TraceFinding> f, ConntrackView ct) {
    return new NodeTraceResult(
        node,
        bridge,
        flow,
        steps,
        finalFlow,
        datapathActions,
        o,
        raw,
        f,
        via,
        kernel,
        sizeChecks,
        ct);
  }

  /** A node where the packet never reached the node kernel. */
  public NodeTraceResult(
      String node,
      String bridge,
      String flow,
      List<DecodedStep> steps,
      String finalFlow,
      String datapathActions,
      Outcome outcome,
      String raw,
      List<TraceFinding> findings,
      String via) {
    this(
        node,
        bridge,
        flow,
        steps,
        finalFlow,
        datapathActions,
        outcome,
        raw,
        findings,
        via,
        Optional.empty(),
        List.of());
  }

  /** The same answer with these findings instead of its own. */
  public NodeTraceResult withFindings(List<TraceFinding> f) {
    return new NodeTraceResult(
        node(),
        bridge(),
        flow(),
        steps(),
        finalFlow(),
        datapathActions(),
        outcome(),
        raw(),
        f,
        via(),
        kernel(),
        sizeChecks(),
        conntrack());
  }
}
