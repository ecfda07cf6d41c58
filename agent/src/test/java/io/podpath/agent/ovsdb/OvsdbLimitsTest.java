package io.podpath.agent.ovsdb;

import static io.podpath.agent.ovsdb.ScriptedPeer.readOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.errors.UnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an OVSDB or unixctl peer cannot do to the agent: kill it with a huge message (the client
 * runs in a child JVM with the agent's heap flags, so an OutOfMemoryError would end it), or hold a
 * call to the caller's deadline by never answering.
 */
class OvsdbLimitsTest {
  /** The agent's heap (charts/podpath values agent.javaOpts) less what its live set needs. */
  private static final List<String> AGENT_HEAP =
      List.of("-Xmx48m", "-Xms8m", "-Xmn4m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

  private ScriptedPeer scripted;

  @BeforeEach
  void listen() throws Exception {
    scripted = new ScriptedPeer("big.sock");
  }

  @AfterEach
  void close() throws Exception {
    scripted.close();
  }

  @Test
  void an8MiBMessageOfTinyObjectsDoesNotKillTheAgent() throws Exception {
    // {} is the most heap per byte a JSON tree can cost: ~2.8 M objects in 8 MiB
    String out = childCall(8 << 20, "{},");
    assertThat(out).startsWith("refused ProtocolException").contains(scripted.sock.toString());
  }

  @Test
  void aMessageOfTooManyValuesIsRefusedBeforeItsTreeIsBuilt() throws Exception {
    String out = childCall(2 << 20, "{},");
    assertThat(out).startsWith("refused ProtocolException").contains("values");
  }

  @Test
  void a64MiBMessageDoesNotKillTheAgent() throws Exception {
    String out = childCall(64 << 20, "aaaaaaaaaaaaaaaa");
    assertThat(out).startsWith("refused ProtocolException").contains("larger than");
  }

  @Test
  void aMessageUnderTheCapIsStillRead() throws Exception {
    // ~98 k small rows of two values each: within both caps
    String out = childCall(3 << 18, "{\"a\":1},");
    assertThat(out).startsWith("answer ");
  }

  @Test
  void aPeerThatNeverAnswersIsUnavailableWithinTheAgentsOwnTimeout() throws Exception {
    CompletableFuture<Void> peer =
        CompletableFuture.runAsync(
            () -> {
              try (SocketChannel ch = scripted.accept()) {
                readOne(ch);
                Thread.sleep(30_000);
              } catch (Throwable e) {
                // the client gave up and the test closed the socket
              }
            });
    try (JsonRpcConnection c =
        JsonRpcConnection.open(Remote.unix(scripted.sock), Duration.ofSeconds(2))) {
      // the caller would wait a minute; the agent's read timeout answers long before
      assertThatThrownBy(
              () ->
                  c.call(
                      "list_dbs",
                      JsonRpcConnection.JSON.createArrayNode(),
                      Instant.now().plus(Duration.ofSeconds(60))))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("unix:" + scripted.sock)
          .hasMessageContaining("no answer within");
      assertThat(c.broken()).isTrue();
    }
    peer.cancel(true);
  }

  /** Streams a message of about {@code size} bytes of {@code unit}s to a child-JVM client. */
  private String childCall(int size, String unit) throws Exception {
    CompletableFuture<Void> peer =
        CompletableFuture.runAsync(
            () -> {
              try (SocketChannel ch = scripted.accept()) {
                readOne(ch);
                stream(ch, size, unit);
              } catch (IOException e) {
                // the client dropped the connection at its cap
              }
            });
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv = new java.util.ArrayList<>(List.of(java));
    argv.addAll(AGENT_HEAP);
    argv.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            OversizedClientMain.class.getName(),
            scripted.sock.toString()));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out;
    try {
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).as("child JVM output: %s", out).isZero();
    assertThat(out).doesNotContain("OutOfMemoryError");
    peer.cancel(true);
    return out;
  }

  private static void stream(SocketChannel ch, int size, String unit) throws IOException {
    boolean text = !unit.endsWith(",");
    ByteBuffer head =
        ByteBuffer.wrap(
            ("{\"id\":0,\"error\":null,\"result\":" + (text ? "\"" : "["))
                .getBytes(StandardCharsets.US_ASCII));
    write(ch, head);
    byte[] chunk =
        unit.repeat(Math.max(1, (64 << 10) / unit.length())).getBytes(StandardCharsets.US_ASCII);
    for (long sent = 0; sent < size; sent += chunk.length) {
      write(ch, ByteBuffer.wrap(chunk));
    }
    write(ch, ByteBuffer.wrap((text ? "\"}" : "1]}").getBytes(StandardCharsets.US_ASCII)));
  }

  private static void write(SocketChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
