package io.podpath.agent.errors;

/**
 * Base of every typed failure the agent reports. The gRPC layer maps each subclass to one status
 * code in a single place ({@code io.podpath.agent.grpc.StatusMapper}); code elsewhere throws these
 * instead of choosing status codes.
 */
public abstract class AgentException extends RuntimeException {
  private final String message;

  protected AgentException(String message) {
    super(message);
    this.message = message;
  }

  protected AgentException(String message, Throwable cause) {
    super(message, cause);
    this.message = message;
  }

  /** Never null: every agent error is made with a message (the reason a caller reports). */
  @Override
  public String getMessage() {
    return message;
  }
}
