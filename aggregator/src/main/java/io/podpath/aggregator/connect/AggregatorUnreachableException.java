package io.podpath.aggregator.connect;

import org.jspecify.annotations.Nullable;

/** The CLI could not open a tunnel to the aggregator; the message says what to do about it. */
public final class AggregatorUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why, so callers can pick an exit code without parsing the message. */
  public enum Reason {
    NO_SERVICE,
    NO_READY_POD,
    NO_PORT,
    FORBIDDEN,
    NO_KUBECONFIG,
    API_ERROR
  }

  private final Reason reason;

  public AggregatorUnreachableException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public AggregatorUnreachableException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }
}
