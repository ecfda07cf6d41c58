package io.podpath.agent.errors;

/** A request field failed validation; {@link #field()} names it (e.g. {@code packet.dst_port}). */
public final class InvalidArgumentException extends AgentException {
  private final String field;

  public InvalidArgumentException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
