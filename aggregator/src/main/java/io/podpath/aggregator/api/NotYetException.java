package io.podpath.aggregator.api;

/**
 * The question has no answer in this state yet, e.g. no full sweep has finished
 * (FAILED_PRECONDITION).
 */
public final class NotYetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotYetException(String message) {
    super(message);
  }
}
