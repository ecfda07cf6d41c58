package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test during which the sandbox's ovs-vswitchd dies runs once more on the rebuilt sandbox: the
 * first run kills it and fails on the lost packet, the retry sends real packets again and passes.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, podsPerNode = 1, apps = false)
class SandboxRetryTest {
  private static int runs;
  private final Sandbox sb;

  SandboxRetryTest(Sandbox sb) {
    this.sb = sb;
  }

  @Test
  void theTestDuringWhichTheSwitchDiedRunsAgainOnTheRebuiltSandbox() throws Exception {
    runs++;
    if (runs == 1) {
      SandboxRecoveryTest.kill(sb, "node1");
    }
    assertThat(sb.probe("default/web-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
  }

  @AfterAll
  static void itRanTwice() {
    if (!Boolean.getBoolean("podpath.sandbox.skip")) {
      assertThat(runs).as("runs of the test").isEqualTo(2);
    }
  }
}
