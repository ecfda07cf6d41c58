package io.podpath.testkit;

/** Outcome of a command run by the testkit: exit code and captured (capped) output. */
public record ExecResult(int exitCode, String stdout, String stderr) {

  public boolean ok() {
    return exitCode == 0;
  }
}
