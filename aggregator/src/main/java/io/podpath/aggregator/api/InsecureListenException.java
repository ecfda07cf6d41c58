package io.podpath.aggregator.api;

/**
 * The CLI's gRPC listener would be reachable by others without authentication, or its TLS flags are
 * incomplete. Raised at start-up, before anything listens; the message names the flags.
 */
public final class InsecureListenException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InsecureListenException(String message) {
    super(message);
  }
}
