package io.podpath.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --log-level} on the real entry point. slf4j-simple reads its settings once per JVM, so
 * each case starts the agent's {@code main} in a child JVM (plaintext, loopback, no OVS: it still
 * starts), waits until it listens, stops it with SIGTERM and reads what it wrote on stderr.
 */
class AgentLogLevelTest {

  @Test
  void infoIsTheDefaultAndLogsStartAndStop(@TempDir Path dir) throws Exception {
    String log = runAndStop(dir, List.of(), "serving node");
    assertThat(log).contains(" INFO ").contains("podpath-agent").contains("serving node node-log");
    assertThat(log).contains("podpath-agent stopping (signal)");
    assertThat(log).doesNotContain(" DEBUG ");
  }

  @Test
  void debugAddsDebugLinesAndTheLibrariesLogs(@TempDir Path dir) throws Exception {
    String log = runAndStop(dir, List.of("--log-level", "debug"), "log level debug");
    assertThat(log).contains(" DEBUG io.podpath.agent.server.Main - log level debug");
    assertThat(log.lines().filter(l -> l.contains(" DEBUG io.grpc")).count())
        .as("gRPC's own debug lines (libraries follow debug):\n" + log)
        .isPositive();
  }

  @Test
  void errorIsQuietWhenNothingGoesWrong(@TempDir Path dir) throws Exception {
    // Upper case too: the flag is case-insensitive, as kubectl users type it either way.
    String log = runAndStop(dir, List.of("--log-level", "ERROR"), null);
    assertThat(log).doesNotContain(" INFO ").doesNotContain(" DEBUG ").doesNotContain(" WARN ");
  }

  @Test
  void anUnknownLevelIsAUsageErrorNamingTheAcceptedOnes(@TempDir Path dir) throws Exception {
    Process p = agent(dir, List.of("--log-level", "verbose"));
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(err).isEqualTo(2);
    assertThat(err)
        .contains("--log-level")
        .contains("verbose")
        .contains("error, warn, info, debug, trace")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
  }

  /**
   * Starts the agent, waits until its gRPC port accepts connections (the last thing it opens) and,
   * when given, until {@code line} is in its log; then SIGTERM. Returns its stderr.
   */
  private static String runAndStop(Path dir, List<String> extra, @Nullable String line)
      throws Exception {
    int grpc = freePort();
    List<String> args = new ArrayList<>(extra);
    args.addAll(
        List.of("--listen", "127.0.0.1:" + grpc, "--metrics-listen", "127.0.0.1:" + freePort()));
    Process p = agent(dir, args);
    try {
      awaitListening(p, grpc, dir);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (line != null && !stderr(dir).contains(line) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      // The shutdown hook is registered right after the "serving" line.
      Thread.sleep(1000);
    } finally {
      p.destroy(); // SIGTERM: the shutdown hook logs "stopping"
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    return stderr(dir);
  }

  private static String stderr(Path dir) throws IOException {
    return Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
  }

  private static Process agent(Path dir, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(
        List.of(
            "--node-name",
            "node-log",
            "--plaintext",
            "--ovs-rundir",
            dir.resolve("no-ovs").toString()));
    cmd.addAll(args);
    return new ProcessBuilder(cmd)
        .redirectOutput(dir.resolve("stdout").toFile())
        .redirectError(dir.resolve("stderr").toFile())
        .start();
  }

  private static void awaitListening(Process p, int port, Path dir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("agent exited: " + stderr(dir)).isTrue();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("agent did not listen on " + port + " within 60 s: " + stderr(dir));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
