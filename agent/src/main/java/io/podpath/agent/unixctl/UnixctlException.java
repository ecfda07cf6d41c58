package io.podpath.agent.unixctl;

import io.podpath.agent.errors.ToolFailedException;

/** The daemon answered a unixctl command with an error (e.g. ofproto/trace rejecting a flow). */
public final class UnixctlException extends ToolFailedException {
  private final String method;

  public UnixctlException(String method, String error) {
    super(method, error.strip());
    this.method = method;
  }

  public String method() {
    return method;
  }
}
