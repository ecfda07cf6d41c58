package io.podpath.agent.exec;

import io.podpath.agent.errors.UnavailableException;

/** The command could not be started at all: it never ran. */
public final class CommandStartException extends UnavailableException {
  public CommandStartException(String binary, String problem, Throwable cause) {
    super(binary, "could not start: " + problem, cause);
  }
}
