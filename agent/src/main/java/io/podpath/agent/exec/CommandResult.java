package io.podpath.agent.exec;

import java.time.Duration;
import java.util.List;

/** What a command that ran to completion produced. */
public record CommandResult(
    List<String> argv,
    int exitCode,
    String stdout,
    String stderr,
    boolean stdoutTruncated,
    Duration elapsed) {

  public boolean ok() {
    return exitCode == 0;
  }
}
