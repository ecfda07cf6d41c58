package io.podpath.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.netns.NetnsExecutor;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProcessCommandRunnerTest {
  static NetnsExecutor netns;
  static ProcessCommandRunner runner;

  @BeforeAll
  static void start() {
    netns = new NetnsExecutor(1);
    runner = new ProcessCommandRunner(netns, 4);
  }

  @AfterAll
  static void stop() {
    runner.close();
    netns.close();
  }

  @Test
  void runsArgvWithoutAShell() {
    CommandResult r = runner.check(Command.of("printf", "%s|", "a b", "$HOME;rm"));
    assertThat(r.stdout()).isEqualTo("a b|$HOME;rm|");
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void missingBinaryIsCouldNotStart() {
    assertThatThrownBy(() -> runner.run(Command.of("/nonexistent/podpath-tool")))
        .isInstanceOf(CommandStartException.class)
        .hasMessageContaining("/nonexistent/podpath-tool")
        .hasMessageContaining("could not start");
  }

  @Test
  void nonZeroExitIsRanAndFailedWithStderr() {
    Command c = Command.of("sh", "-c", "echo boom >&2; exit 3");
    CommandResult r = runner.run(c);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThatThrownBy(() -> runner.check(c))
        .isInstanceOfSatisfying(
            CommandFailedException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(3);
              assertThat(e.stderr()).contains("boom");
              assertThat(e.getMessage()).contains("exit status 3").contains("boom");
            });
  }

  @Test
  void timeoutKillsTheProcess() {
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () -> runner.run(Command.of("sleep", "30").withTimeout(Duration.ofMillis(200))))
        .isInstanceOf(CommandTimeoutException.class)
        .hasMessageContaining("sleep 30");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void stdoutIsCappedButTheChildIsDrained() {
    CommandResult r =
        runner.run(Command.of("head", "-c", "1000000", "/dev/zero").withStdoutCap(1000));
    assertThat(r.stdout()).hasSize(1000);
    assertThat(r.stdoutTruncated()).isTrue();
    assertThat(r.exitCode()).isZero();
  }
}
