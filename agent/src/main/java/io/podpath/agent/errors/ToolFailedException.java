package io.podpath.agent.errors;

/**
 * A tool or daemon answered, but with an error: a command that exited non-zero, or a unixctl /
 * OVSDB request the server rejected. Carries the server's own words ({@link #detail()}).
 */
public class ToolFailedException extends AgentException {
  private final String tool;
  private final String detail;

  public ToolFailedException(String tool, String detail) {
    super(tool + " failed: " + detail);
    this.tool = tool;
    this.detail = detail;
  }

  public String tool() {
    return tool;
  }

  public String detail() {
    return detail;
  }
}
