package io.podpath.agent.checks.parse;

/** A tool's or file's output was not in the format the parser knows. */
public final class ParseException extends Exception {
  public ParseException(String message) {
    super(message);
  }

  public ParseException(String message, Throwable cause) {
    super(message, cause);
  }
}
