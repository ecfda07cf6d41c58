package io.podpath.agent.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One external command: an argv list (never a shell string), a timeout, output caps, and optionally
 * the network namespace to run it in.
 */
public record Command(
    List<String> argv, Duration timeout, int stdoutCap, int stderrCap, Optional<Path> netns) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_STDOUT_CAP = 4 << 20;
  public static final int DEFAULT_STDERR_CAP = 64 << 10;

  public Command {
    argv = List.copyOf(argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty argv");
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    Objects.requireNonNull(netns, "netns");
  }

  public static Command of(String... argv) {
    return new Command(
        List.of(argv), DEFAULT_TIMEOUT, DEFAULT_STDOUT_CAP, DEFAULT_STDERR_CAP, Optional.empty());
  }

  public static Command of(List<String> argv) {
    return new Command(
        argv, DEFAULT_TIMEOUT, DEFAULT_STDOUT_CAP, DEFAULT_STDERR_CAP, Optional.empty());
  }

  public Command withTimeout(Duration t) {
    return new Command(argv, t, stdoutCap, stderrCap, netns);
  }

  /** Runs the command from a thread inside this network namespace; empty = the agent's own. */
  public Command inNetns(Optional<Path> ns) {
    return new Command(argv, timeout, stdoutCap, stderrCap, ns);
  }

  public Command withStdoutCap(int cap) {
    return new Command(argv, timeout, cap, stderrCap, netns);
  }

  /** For messages: the argv joined by spaces (for humans only, never executed). */
  public String display() {
    return String.join(" ", argv);
  }
}
