package io.podpath.agent.checks;

/**
 * A fact could not be read: the socket, file or tool was unreachable ({@link Kind#UNAVAILABLE}),
 * the thing asked for does not exist ({@link Kind#NOT_FOUND}), or a tool ran and failed ({@link
 * Kind#FAILED}).
 */
public final class AccessException extends Exception {
  public enum Kind {
    UNAVAILABLE,
    NOT_FOUND,
    FAILED
  }

  private final Kind kind;
  private final String message;

  public AccessException(Kind kind, String message) {
    super(message);
    this.kind = kind;
    this.message = message;
  }

  public AccessException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.message = message;
  }

  /** Never null: the check reports it as the reason. */
  @Override
  public String getMessage() {
    return message;
  }

  public Kind kind() {
    return kind;
  }
}
