package io.podpath.agent.trace;

/** Something noticed while tracing that is not a failure of the call (maps to proto Finding). */
public record TraceFinding(Severity severity, String code, String message) {
  public enum Severity {
    INFO,
    WARNING,
    ERROR
  }

  public static TraceFinding info(String code, String message) {
    return new TraceFinding(Severity.INFO, code, message);
  }

  public static TraceFinding warning(String code, String message) {
    return new TraceFinding(Severity.WARNING, code, message);
  }
}
