package io.podpath.aggregator.api;

/** The aggregator cannot answer yet (inventory not synced). */
public final class NotReadyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotReadyException(String message) {
    super(message);
  }
}
