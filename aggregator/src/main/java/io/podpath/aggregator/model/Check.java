package io.podpath.aggregator.model;

import java.util.List;

/**
 * One check's result: an agent's (RunChecks) or the aggregator's (cluster checks, an unreachable
 * agent). {@code remediation} is "" when there is nothing to advise.
 */
public record Check(
    String id,
    CheckStatus status,
    String summary,
    String remediation,
    long durationMicros,
    List<Evidence> evidence) {
  /** What the check looked at: where from, and what it read there. */
  public record Evidence(String source, String value) {}

  public Check {
    evidence = List.copyOf(evidence);
  }

  /** A result without evidence, duration or remediation. */
  public static Check of(String id, CheckStatus status, String summary) {
    return new Check(id, status, summary, "", 0, List.of());
  }

  public Check withSummary(String s) {
    return new Check(id, status, s, remediation, durationMicros, evidence);
  }

  public Check withEvidence(List<Evidence> e) {
    return new Check(id, status, summary, remediation, durationMicros, e);
  }

  public Check withDurationMicros(long micros) {
    return new Check(id, status, summary, remediation, micros, evidence);
  }
}
