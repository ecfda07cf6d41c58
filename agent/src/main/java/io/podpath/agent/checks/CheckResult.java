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
    remediation = remediation == null ? "" : remediation;
    duration = duration == null ? Duration.ZERO : duration;
  }

  public CheckResult withDuration(Duration d) {
    return new CheckResult(id, status, summary, evidence, remediation, d);
  }
}
