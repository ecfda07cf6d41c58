package io.podpath.agent.errors;

/** A peer spoke, but not the protocol we expected (malformed JSON-RPC, unexpected shape). */
public final class ProtocolException extends AgentException {
  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
