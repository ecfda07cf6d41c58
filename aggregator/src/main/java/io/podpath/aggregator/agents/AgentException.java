package io.podpath.aggregator.agents;

/** A call to a node's agent failed; {@link Kind} says how, the message says why. */
public final class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How the call failed. */
  public enum Kind {
    /** No agent is known for the node. */
    NO_AGENT,
    /** The agent could not be reached (connection refused, TLS failure, agent UNAVAILABLE). */
    UNREACHABLE,
    /** The deadline passed. */
    TIMEOUT,
    /** The agent does not know the pod, tunnel or IP asked about. */
    NOT_FOUND,
    /** The agent rejected the request as invalid. */
    REJECTED,
    /** The agent ran and failed (a tool error, an internal error). */
    FAILED,
    /** The caller gave up (cancelled, or its deadline passed) before or during the call. */
    CANCELLED
  }

  private final Kind kind;
  private final String node;

  public AgentException(Kind kind, String node, String message) {
    super(message);
    this.kind = kind;
    this.node = node;
  }

  public AgentException(Kind kind, String node, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.node = node;
  }

  public Kind kind() {
    return kind;
  }

  public String node() {
    return node;
  }
}
