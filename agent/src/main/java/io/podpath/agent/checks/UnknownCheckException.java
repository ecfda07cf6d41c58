package io.podpath.agent.checks;

import java.util.Collection;

/** A requested check id is not one this agent knows (INVALID_ARGUMENT at the gRPC edge). */
public final class UnknownCheckException extends Exception {
  private final String message;

  public UnknownCheckException(String id, Collection<String> known) {
    this("unknown check '" + shown(id) + "'; known: " + known);
  }

  private UnknownCheckException(String message) {
    super(message);
    this.message = message;
  }

  /** Never null: the INVALID_ARGUMENT reason. */
  @Override
  public String getMessage() {
    return message;
  }

  /** The id cut and escaped: a status message travels as a size-limited HTTP/2 trailer. */
  static String shown(String id) {
    String s = id.length() > 64 ? id.substring(0, 64) + "…(" + id.length() + " chars)" : id;
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
