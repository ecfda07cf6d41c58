package io.podpath.aggregator.inventory;

/** A manifest that cannot be read; the message names the item and the field. */
public final class ManifestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
