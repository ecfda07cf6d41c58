package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** down removes everything, only what it made, twice in a row, and after a crash mid-up. */
class CleanupTest {

  @BeforeEach
  void sandboxTestsEnabled() {
    assumeFalse(Boolean.getBoolean("podpath.sandbox.skip"), "-Dpodpath.sandbox.skip=true");
  }

  @Test
  void downLeavesNothingAndIsIdempotent() {
    Sandbox sb =
        Sandbox.up(
            new SandboxSpec(2, 1, Mode.OVN, IpFamily.IPV4, false, 1400, 1500, "", -1, false));
    String prefix = sb.prefix();
    Path dir = sb.stateDir();
    try {
      assertThat(Leftovers.find(prefix, dir)).isNotEmpty();
      assertThat(sb.probe("default/web-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
    } finally {
      sb.down();
    }
    assertThat(Leftovers.find(prefix, dir)).isEmpty();
    assertThat(Files.exists(dir)).isFalse();
    ExecResult again = sb.script(Duration.ofSeconds(30), "down");
    assertThat(again.exitCode()).isZero();
  }

  @Test
  void downCleansUpAfterACrashedUp() throws Exception {
    try (IndexClaim claim = IndexClaim.claimFree()) {
      String prefix = "t" + claim.index();
      Path dir = Path.of("/run/podpath-sandbox", prefix);
      Map<String, String> env =
          Map.of(
              "PODPATH_SANDBOX_PREFIX", prefix,
              "PODPATH_SANDBOX_INDEX", Integer.toString(claim.index()),
              "PODPATH_SANDBOX_DIR", dir.toString());
      String script = RepoRoot.locate().resolve("hack/sandbox").toString();
      // kill `up` half-way: daemons and namespaces exist, the state is incomplete
      try {
        ProcessRunner.run(List.of(script, "up", "--no-apps"), env, Duration.ofMillis(1200));
      } catch (SandboxException expected) {
        // timed out on purpose
      }
      assertThat(Leftovers.find(prefix, dir)).isNotEmpty();
      ExecResult down = ProcessRunner.run(List.of(script, "down"), env, Duration.ofSeconds(60));
      assertThat(down.exitCode()).as(down.stderr()).isZero();
      assertThat(Leftovers.find(prefix, dir)).isEmpty();
      assertThat(ProcessRunner.run(List.of(script, "down"), env, Duration.ofSeconds(60)).exitCode())
          .isZero();
    }
  }
}
