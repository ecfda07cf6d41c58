package io.podpath.aggregator.api;

/** A request field failed validation; the message starts with the field's name. */
public final class InvalidRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String field, String problem) {
    super(field + ": " + problem);
  }
}
