package io.podpath.agent.errors;

/** The thing asked for (a pod, an IP, a tunnel) does not exist on this node. */
public final class NotFoundException extends AgentException {
  public NotFoundException(String message) {
    super(message);
  }
}
