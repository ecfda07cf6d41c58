package io.podpath.agent.trace;

import java.util.List;
import java.util.Optional;

/** What {@link TraceOutputParser} understood of one ofproto/trace output. */
public record ParsedTrace(String bridge, List<TracePass> passes, List<TraceFinding> findings) {
  public ParsedTrace {
    passes = List.copyOf(passes);
    findings = List.copyOf(findings);
  }

  public List<TraceStep> steps() {
    return passes.stream().flatMap(p -> p.steps().stream()).toList();
  }

  /** The input flow as ofproto/trace echoed it. */
  public String flow() {
    return passes.isEmpty() ? "" : passes.get(0).flow();
  }

  /** The final flow of the last pass. */
  public String finalFlow() {
    return passes.isEmpty() ? "" : passes.get(passes.size() - 1).finalFlow();
  }

  /** Every pass's datapath actions, one line per pass. */
  public String datapathActions() {
    return String.join(
        "\n", passes.stream().map(TracePass::datapathActions).filter(s -> !s.isEmpty()).toList());
  }

  /** The last pass; empty when ofproto/trace printed no flow. */
  public Optional<TracePass> lastPass() {
    return passes.isEmpty() ? Optional.empty() : Optional.of(passes.get(passes.size() - 1));
  }
}
