package io.podpath.aggregator.trace;

/** A trace that cannot start; {@link Kind} decides the status the caller sees. */
public final class TraceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the trace cannot start. */
  public enum Kind {
    INVALID_ARGUMENT,
    NOT_FOUND,
    FAILED_PRECONDITION,
    /** The caller gave up (cancelled, or its deadline passed) while the trace ran. */
    CANCELLED
  }

  private final Kind kind;

  public TraceException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  static TraceException invalid(String message) {
    return new TraceException(Kind.INVALID_ARGUMENT, message);
  }

  static TraceException notFound(String message) {
    return new TraceException(Kind.NOT_FOUND, message);
  }

  static TraceException cancelled(String message) {
    return new TraceException(Kind.CANCELLED, message);
  }

  static TraceException precondition(String message) {
    return new TraceException(Kind.FAILED_PRECONDITION, message);
  }
}
