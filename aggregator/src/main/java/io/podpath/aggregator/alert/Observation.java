package io.podpath.aggregator.alert;

/**
 * What one sweep saw for one (node, check). {@code status} is the check status name (OK, WARN,
 * FAIL, UNKNOWN, NOT_APPLICABLE, UNREACHABLE).
 */
public record Observation(AlertKey key, String status, String summary, String remediation) {
  /** FAIL, WARN and UNREACHABLE count towards firing. */
  public boolean bad() {
    return status.equals("FAIL") || status.equals("WARN") || status.equals("UNREACHABLE");
  }

  /** OK and NOT_APPLICABLE heal; UNKNOWN keeps whatever state the alert is in. */
  public boolean good() {
    return status.equals("OK") || status.equals("NOT_APPLICABLE");
  }

  public String severity() {
    return status.equals("WARN") ? "warning" : "critical";
  }
}
