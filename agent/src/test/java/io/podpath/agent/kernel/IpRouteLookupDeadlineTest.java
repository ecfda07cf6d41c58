package io.podpath.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.exec.CommandRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A route lookup bound to a trace's deadline runs {@code ip route get} with what is left of that
 * deadline as its timeout (not a fixed 5 s), and refuses to start once it has passed.
 */
class IpRouteLookupDeadlineTest {
  final List<Command> ran = new ArrayList<>();
  final CommandRunner runner =
      c -> {
        ran.add(c);
        return new CommandResult(
            c.argv(), 2, "", "RTNETLINK answers: Network is unreachable", false, Duration.ZERO);
      };
  final IpRouteLookup lookup = new IpRouteLookup(runner, Optional.empty(), Duration.ofSeconds(5));

  @Test
  void theTimeoutIsWhatIsLeftOfTheDeadline() {
    lookup
        .until(Instant.now().plus(Duration.ofSeconds(30)))
        .get(IpAddr.parse("dst", "10.0.0.1"), Optional.empty(), Optional.empty(), 0);
    Duration t = ran.get(0).timeout();
    assertThat(t).isGreaterThan(Duration.ofSeconds(25)).isLessThanOrEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aPassedDeadlineRunsNothing() {
    RouteLookup late = lookup.until(Instant.now().minusMillis(1));
    assertThatThrownBy(
            () -> late.get(IpAddr.parse("dst", "10.0.0.1"), Optional.empty(), Optional.empty(), 0))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("deadline");
    assertThat(ran).isEmpty();
  }

  @Test
  void unboundItKeepsItsOwnTimeout() {
    lookup.get(IpAddr.parse("dst", "10.0.0.1"), Optional.empty(), Optional.empty(), 0);
    assertThat(ran.get(0).timeout()).isEqualTo(Duration.ofSeconds(5));
  }
}
