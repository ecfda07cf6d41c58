package io.podpath.agent.errors;

/**
 * The thing asked about exists, but the agent cannot act on it safely as it stands: e.g. a pod
 * whose network namespace cannot be proven to be its own (acting in a look-alike would answer for
 * another pod). The message says what is missing and names what was seen.
 */
public final class FailedPreconditionException extends AgentException {
  public FailedPreconditionException(String message) {
    super(message);
  }
}
