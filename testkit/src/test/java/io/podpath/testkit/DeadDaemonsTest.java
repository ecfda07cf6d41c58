package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadDaemonsTest {
  @Test
  void aDaemonWhoseProcessIsGoneIsNamedWithItsLogTailAndALiveOneIsNot(@TempDir Path dir)
      throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Path run = Files.createDirectories(dir.resolve("node1/run"));
    Path log = Files.createDirectories(dir.resolve("node1/log"));
    Files.writeString(run.resolve("ovs-vswitchd.pid"), gone.pid() + "\n");
    Files.writeString(run.resolve("ovsdb-server.pid"), ProcessHandle.current().pid() + "\n");
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      lines.append("line ").append(i).append('\n');
    }
    lines.append("|00042|util|EMER|lib/dp-packet.h:42: assertion failed\n");
    Files.writeString(log.resolve("ovs-vswitchd.log"), lines);
    Files.write(
        dir.resolve("pidfiles.list"),
        List.of(
            run.resolve("ovsdb-server.pid").toString(),
            run.resolve("ovs-vswitchd.pid").toString(),
            run.resolve("never-written.pid").toString()));

    List<String> dead = DeadDaemons.in(dir);

    assertThat(dead).hasSize(1);
    assertThat(dead.get(0))
        .startsWith("node1 ovs-vswitchd (pid " + gone.pid() + ") is dead")
        .contains("assertion failed", "line 20")
        .doesNotContain("line 13\n");
  }

  @Test
  void aStoppedPodResponderBreaksNoSwitching(@TempDir Path dir) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Path pod = Files.createDirectories(dir.resolve("pods/client-2"));
    Path node = Files.createDirectories(dir.resolve("node1/run"));
    Files.writeString(pod.resolve("responder.pid"), gone.pid() + "\n");
    Files.writeString(node.resolve("ovn-controller.pid"), gone.pid() + "\n");
    Files.write(
        dir.resolve("pidfiles.list"),
        List.of(
            pod.resolve("responder.pid").toString(),
            node.resolve("ovn-controller.pid").toString()));

    assertThat(DeadDaemons.in(dir)).hasSize(2);
    assertThat(DeadDaemons.switching(dir))
        .singleElement()
        .satisfies(d -> assertThat(d).startsWith("node1 ovn-controller (pid " + gone.pid()));
  }

  @Test
  void noListNoDeadDaemons(@TempDir Path dir) {
    assertThat(DeadDaemons.in(dir)).isEmpty();
  }
}
