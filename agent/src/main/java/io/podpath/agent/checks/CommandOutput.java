package io.podpath.agent.checks;

import java.util.List;

/** What one command printed; {@link #commandLine()} is the evidence's source. */
public record CommandOutput(List<String> argv, int exitCode, String stdout, String stderr) {
  public CommandOutput {
    argv = List.copyOf(argv);
    stdout = stdout == null ? "" : stdout;
    stderr = stderr == null ? "" : stderr;
  }

  public String commandLine() {
    return String.join(" ", argv);
  }

  public boolean ok() {
    return exitCode == 0;
  }
}
