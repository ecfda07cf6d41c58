package io.podpath.agent.exec;

import io.podpath.agent.errors.ToolFailedException;

/** The command ran and exited non-zero. */
public final class CommandFailedException extends ToolFailedException {
  private final int exitCode;
  private final String stderr;

  public CommandFailedException(String commandLine, int exitCode, String stderr) {
    super(commandLine, "exit status " + exitCode + ": " + stderr.strip());
    this.exitCode = exitCode;
    this.stderr = stderr;
  }

  public int exitCode() {
    return exitCode;
  }

  public String stderr() {
    return stderr;
  }
}
