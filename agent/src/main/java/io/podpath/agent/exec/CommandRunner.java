package io.podpath.agent.exec;

/**
 * The one way the agent starts processes. Tests substitute a recording implementation to prove that
 * invalid input never reaches a command line.
 */
public interface CommandRunner {

  /**
   * Runs the command and returns its result whatever the exit code.
   *
   * @throws CommandStartException when it could not be started (binary missing, netns gone)
   * @throws CommandTimeoutException when it did not finish within its timeout (it is killed)
   */
  CommandResult run(Command command);

  /**
   * Runs the command and insists on exit code 0.
   *
   * @throws CommandFailedException when it ran and exited non-zero (carries exit code and stderr)
   */
  default CommandResult check(Command command) {
    CommandResult r = run(command);
    if (!r.ok()) {
      throw new CommandFailedException(command.display(), r.exitCode(), r.stderr());
    }
    return r;
  }
}
