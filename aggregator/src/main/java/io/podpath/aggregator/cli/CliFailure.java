package io.podpath.aggregator.cli;

import org.jspecify.annotations.Nullable;

/**
 * A command failed for a reason told to the user in words (what went wrong and what to do next),
 * with the exit code of {@link ExitCodes}; the cause is shown only with {@code -v}.
 */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliFailure(int exitCode, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  CliFailure(int exitCode, String message) {
    this(exitCode, message, null);
  }

  int exitCode() {
    return exitCode;
  }
}
