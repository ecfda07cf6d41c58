package io.podpath.agent.exec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.netns.NetnsExecutor;
import io.podpath.agent.unixctl.ProtocolUnixctl;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A call's {@link CallScope} ending (caller cancelled, deadline) stops the work it started at once:
 * the process tree the runner started is killed (a shell's background child too), a wait in a
 * namespace worker and an unixctl read that never gets an answer return.
 */
public class CancellationTest {
  static NetnsExecutor netns;
  static ProcessCommandRunner runner;
  static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  static void start() {
    netns = new NetnsExecutor(1);
    runner = new ProcessCommandRunner(netns, 4);
  }

  @AfterAll
  static void stop() {
    runner.close();
    netns.close();
    TIMER.shutdownNow();
  }

  /** Processes whose command line contains {@code marker}, from /proc. */
  public static List<String> processesWith(String marker) throws IOException {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(
              p -> {
                try {
                  String cmd =
                      new String(Files.readAllBytes(p.resolve("cmdline")), UTF_8)
                          .replace('\0', ' ');
                  return cmd.contains(marker) && !cmd.contains("grep");
                } catch (IOException e) {
                  return false; // gone meanwhile
                }
              })
          .map(p -> p.getFileName().toString())
          .toList();
    }
  }

  /** A shell that starts a background sleep and a foreground one, both marked by a unique value. */
  static Command shellTree(String seconds) {
    return Command.of("sh", "-c", "sleep " + seconds + " & sleep " + seconds + "; wait")
        .withTimeout(Duration.ofSeconds(30));
  }

  static String marker() {
    // a unique sleep length: finds our processes only
    return "5" + (System.nanoTime() % 100000) + "." + (UUID.randomUUID().hashCode() & 0xfff);
  }

  @Test
  void cancellingTheCallKillsTheWholeProcessTreeAtOnce() throws Exception {
    String secs = marker();
    CallScope scope = CallScope.of(Duration.ofSeconds(30));
    var unused =
        TIMER.schedule(
            () -> scope.cancel("the caller cancelled the call"), 300, TimeUnit.MILLISECONDS);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> scope.within(() -> runner.run(shellTree(secs))))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("the caller cancelled the call")
        .hasMessageContaining("killed");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    Thread.sleep(200); // SIGKILL delivery
    assertThat(processesWith("sleep " + secs)).as("children left behind").isEmpty();
    assertThat(Thread.currentThread().isInterrupted()).as("stray interrupt").isFalse();
  }

  @Test
  void aTimeoutKillsTheBackgroundChildToo() throws Exception {
    String secs = marker();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> runner.run(shellTree(secs).withTimeout(Duration.ofMillis(400))))
        .isInstanceOf(CommandTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    Thread.sleep(200);
    assertThat(processesWith("sleep " + secs)).as("children left behind").isEmpty();
  }

  @Test
  void theCallsDeadlineShortensTheCommandsTimeoutAndTheMessageSaysSo() throws Exception {
    String secs = marker();
    CallScope scope = CallScope.of(Duration.ofMillis(500));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> scope.within(() -> runner.run(shellTree(secs))))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("deadline");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    Thread.sleep(200);
    assertThat(processesWith("sleep " + secs)).isEmpty();
  }

  @Test
  void aCommandInANamespaceWorkerIsKilledAndTheWorkerServesTheNextTask() throws Exception {
    String secs = marker();
    CallScope scope = CallScope.of(Duration.ofSeconds(30));
    var unused =
        TIMER.schedule(
            () -> scope.cancel("the caller cancelled the call"), 300, TimeUnit.MILLISECONDS);
    Path own = Path.of("/proc/self/ns/net");
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () -> scope.within(() -> runner.run(shellTree(secs).inNetns(Optional.of(own)))))
        .isInstanceOf(DeadlineExceededException.class);
    // bounds far below the call's 30 s, far above a loaded CI's scheduling delays (2.2 s seen)
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    // the only worker is free again, not stuck behind the killed task nor left interrupted
    long t1 = System.nanoTime();
    assertThat(runner.check(Command.of("true").inNetns(Optional.of(own))).exitCode()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(10));
    Thread.sleep(200);
    assertThat(processesWith("sleep " + secs)).isEmpty();
  }

  @Test
  void anUnixctlReadThatNeverGetsAnAnswerStopsWhenTheCallIsCancelled() throws Exception {
    Path dir = Files.createTempDirectory("podpath-cancel");
    Path sock = dir.resolve("ovs-vswitchd.1.ctl");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      // accepts, reads nothing and never answers: a hung ovs-vswitchd
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  SocketChannel c = server.accept();
                  Thread.sleep(60_000);
                  c.close();
                } catch (IOException | InterruptedException e) {
                  // test over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      ProtocolUnixctl u = new ProtocolUnixctl(() -> sock);
      CallScope scope = CallScope.of(Duration.ofSeconds(30));
      var unused =
          TIMER.schedule(
              () -> scope.cancel("the caller cancelled the call"), 300, TimeUnit.MILLISECONDS);
      long t0 = System.nanoTime();
      assertThatThrownBy(
              () -> scope.within(() -> u.call("dpif/show", List.of(), Duration.ofSeconds(20))))
          .isInstanceOf(RuntimeException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
      acceptor.interrupt();
    } finally {
      Files.deleteIfExists(sock);
      Files.deleteIfExists(dir);
    }
  }
}
