package io.podpath.agent.checks;

import java.time.Duration;
import java.util.List;

/** The verdict of one check on one node, with the evidence it rests on. */
public record CheckResult(
    String id,
    CheckStatus status,
    String summary,
    List<Evidence> evidence,
    String remediation,
    Duration duration) {

  public CheckResult {
    evidence = List.copyOf(evidence);
  }

  /** A verdict not timed yet ({@link Checks} adds how long the check took). */
  public CheckResult(
      String id, CheckStatus status, String summary, List<Evidence> evidence, String remediation) {
    this(id, status, summary, evidence, remediation, Duration.ZERO);
  }

  public CheckResult withDuration(Duration d) {
    return new CheckResult(id, status, summary, evidence, remediation, d);
  }
}
