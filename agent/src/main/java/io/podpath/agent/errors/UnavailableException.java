package io.podpath.agent.errors;

/**
 * A socket, path or tool the agent needs cannot be reached. {@link #resource()} names it (the
 * socket path, {@code tcp:IP:PORT} remote or binary) so the user knows what to look at.
 */
public class UnavailableException extends AgentException {
  private final String resource;

  public UnavailableException(String resource, String problem) {
    super(resource + ": " + problem);
    this.resource = resource;
  }

  public UnavailableException(String resource, String problem, Throwable cause) {
    super(resource + ": " + problem, cause);
    this.resource = resource;
  }

  public String resource() {
    return resource;
  }
}
