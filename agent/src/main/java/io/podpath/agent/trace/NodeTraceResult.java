package io.podpath.agent.trace;

import java.util.List;

/**
 * What TraceNode answers, inside the agent (the gRPC edge maps it to proto NodeTrace). {@code raw}
 * is empty unless the request asked for it; {@code via} says which path ran ofproto/trace
 * ("unixctl" or "exec").
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
    String via) {
  public NodeTraceResult {
    steps = List.copyOf(steps);
    findings = List.copyOf(findings);
  }
}
