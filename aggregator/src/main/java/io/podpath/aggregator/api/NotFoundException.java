package io.podpath.aggregator.api;

/** What the caller asked about does not exist (NOT_FOUND). */
public final class NotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
