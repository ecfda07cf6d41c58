package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared sandbox whose ovs-vswitchd died is rebuilt before the next test, which then sends real
 * packets again; the incident is logged; past the rebuild budget the test fails naming the daemon.
 */
class SandboxRecoveryTest {

  @BeforeEach
  void sandboxTestsEnabled() {
    assumeFalse(Boolean.getBoolean("podpath.sandbox.skip"), "-Dpodpath.sandbox.skip=true");
  }

  @Test
  void aDeadSwitchIsRebuiltOnceThenNamed(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("incidents.log");
    SandboxSpec spec =
        new SandboxSpec(2, 1, Mode.OVN, IpFamily.IPV4, false, 1400, 1500, "", -1, false);
    try (SandboxExtension.Holder h = new SandboxExtension.Holder(spec, 1, log)) {
      Sandbox sb = h.get();
      h.recoverIfBroken("Recovery.first");
      assertThat(sb.probe("default/web-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();

      kill(sb, "node1");
      assertThat(sb.probe("default/web-1", "default/web-2", Probe.tcp(80)).delivered()).isFalse();
      h.recoverIfBroken("Recovery.second");

      assertThat(DeadDaemons.switching(sb.stateDir())).isEmpty();
      assertThat(sb.probe("default/web-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
      assertThat(Files.readString(log, StandardCharsets.UTF_8))
          .contains(sb.prefix() + ": node1 ovs-vswitchd")
          .contains("(after Recovery.first); rebuilt before Recovery.second");

      kill(sb, "node1");
      assertThatThrownBy(() -> h.recoverIfBroken("Recovery.third"))
          .hasMessageStartingWith("the sandbox broke before this test: sandbox " + sb.prefix())
          .hasMessageContaining("node1 ovs-vswitchd");
    }
  }

  static void kill(Sandbox sb, String node) throws Exception {
    Path pidfile = sb.stateDir().resolve(node).resolve("run").resolve("ovs-vswitchd.pid");
    long pid = Long.parseLong(Files.readString(pidfile, StandardCharsets.UTF_8).strip());
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    p.destroyForcibly();
    Instant until = Instant.now().plus(Duration.ofSeconds(10));
    while (p.isAlive() && Instant.now().isBefore(until)) {
      Thread.sleep(50);
    }
    assertThat(p.isAlive()).isFalse();
  }
}
