package io.podpath.agent.errors;

/**
 * The request is well formed and the agent could act on it, but its policy forbids it: e.g. a probe
 * toward an address outside the cluster. The message names the refused value and the flag that
 * would allow it.
 */
public final class PermissionDeniedException extends AgentException {
  public PermissionDeniedException(String message) {
    super(message);
  }
}
