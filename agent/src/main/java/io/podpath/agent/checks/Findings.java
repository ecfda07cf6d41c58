package io.podpath.agent.checks;

import java.util.ArrayList;
import java.util.List;

/** Collects evidence and the worst status while a check runs, then builds its result. */
final class Findings {
  private final String id;
  private final List<Evidence> evidence = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private final List<String> remediations = new ArrayList<>();
  private CheckStatus status = CheckStatus.OK;

  Findings(String id) {
    this.id = id;
  }

  Findings evidence(String source, Object value) {
    evidence.add(new Evidence(source, String.valueOf(value)));
    return this;
  }

  /** Records a problem of the given severity with what to do about it. */
  Findings problem(CheckStatus severity, String what, String remediation) {
    status = CheckStatus.worst(status, severity);
    problems.add(what);
    if (remediation != null && !remediation.isEmpty() && !remediations.contains(remediation)) {
      remediations.add(remediation);
    }
    return this;
  }

  CheckStatus status() {
    return status;
  }

  CheckResult result(String okSummary) {
    String summary = problems.isEmpty() ? okSummary : String.join("; ", problems);
    return new CheckResult(id, status, summary, evidence, String.join(" ", remediations));
  }

  CheckResult notApplicable(String reason) {
    return new CheckResult(id, CheckStatus.NOT_APPLICABLE, reason, evidence, "");
  }

  CheckResult unknown(String reason) {
    return new CheckResult(id, CheckStatus.UNKNOWN, reason, evidence, "");
  }
}
