package io.podpath.agent.pod;

/** Something noticed that is not an error of the call (e.g. two mappings disagreeing). */
public record Finding(Severity severity, String code, String message) {
  public enum Severity {
    INFO,
    WARNING,
    ERROR
  }

  public static Finding warning(String code, String message) {
    return new Finding(Severity.WARNING, code, message);
  }

  public static Finding error(String code, String message) {
    return new Finding(Severity.ERROR, code, message);
  }

  public static Finding info(String code, String message) {
    return new Finding(Severity.INFO, code, message);
  }
}
