package io.podpath.agent.exec;

import io.podpath.agent.errors.DeadlineExceededException;
import java.time.Duration;

/** The command ran past its timeout and was killed. */
public final class CommandTimeoutException extends DeadlineExceededException {
  public CommandTimeoutException(String commandLine, Duration timeout) {
    super(commandLine + ": no answer within " + timeout.toMillis() + " ms (killed)");
  }
}
