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
  private final String message;

  public AggregatorUnreachableException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.message = message;
  }

  /** What to do about it; never null, unlike a {@link Throwable}'s. */
  @Override
  public String getMessage() {
    return message;
  }

  public AggregatorUnreachableException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }
}
