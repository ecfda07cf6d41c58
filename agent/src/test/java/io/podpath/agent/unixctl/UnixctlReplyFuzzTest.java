package io.podpath.agent.unixctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.agent.errors.AgentException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * unixctl replies as a misbehaving (or different-version) ovs-vswitchd could send them, served on a
 * real unix socket: the client returns the result text or throws one of the agent's typed errors,
 * within its deadline — never anything else.
 */
class UnixctlReplyFuzzTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static Path dir;
  static Path socket;
  static ServerSocketChannel server;
  static final AtomicReference<String> reply = new AtomicReference<>("");
  static Thread acceptor;

  @BeforeContainer
  static void start() throws IOException {
    dir = Files.createTempDirectory("podpath-rl-unixctl");
    socket = dir.resolve("ovs-vswitchd.1.ctl");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    acceptor = new Thread(UnixctlReplyFuzzTest::serve, "fake-vswitchd");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterContainer
  static void stop() throws IOException {
    server.close();
    acceptor.interrupt();
    Files.deleteIfExists(socket);
    Files.deleteIfExists(dir);
  }

  /** Answers each connection's first request with the current reply, its id put in for "ID". */
  static void serve() {
    while (server.isOpen()) {
      try (SocketChannel c = server.accept()) {
        ByteBuffer buf = ByteBuffer.allocate(64 << 10);
        c.read(buf);
        String req = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        String id = "0";
        try {
          JsonNode n = JSON.readTree(req);
          id = n.path("id").toString();
        } catch (IOException partial) {
          // keep "0"
        }
        c.write(
            ByteBuffer.wrap(
                Objects.requireNonNull(reply.get())
                    .replace("\"ID\"", id)
                    .getBytes(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        if (!server.isOpen()) {
          return;
        }
      }
    }
  }

  static final List<String> TEXTS =
      List.of(
          "Open vSwitch 3.1.0",
          """
          Bridge: br-int
          Flow: tcp,in_port=3

          bridge("br-int")
          -------------
           0. priority 100

          Final flow: unchanged
          Datapath actions: 3
          """,
          "",
          "\u0000\u0001",
          "é\uD83D\uDE00");

  @Provide
  Arbitrary<String> replies() {
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.of(TEXTS).map(t -> JSON.valueToTree(t).toString()),
            Arbitraries.strings().ofMaxLength(50).map(t -> JSON.valueToTree(t).toString()),
            Arbitraries.of(
                "null",
                "42",
                "-1e999",
                "true",
                "[]",
                "[\"a\"]",
                "{}",
                "{\"x\":[1,{}]}",
                "\"\\ud800\""));
    Arbitrary<String> envelope =
        Combinators.combine(value, value, Arbitraries.of(true, false))
            .as(
                (result, error, both) ->
                    "{\"id\":\"ID\",\"result\":"
                        + result
                        + ",\"error\":"
                        + (both ? error : "null")
                        + "}");
    Arbitrary<String> broken =
        Combinators.combine(
                envelope,
                Arbitraries.doubles().between(0, 1),
                Arbitraries.of("}", "]", "\"", "{", ",", "\\"))
            .as(
                (e, at, ins) -> {
                  int i = 1 + (int) (at * (e.length() - 2));
                  return e.substring(0, i) + ins + e.substring(i);
                });
    return Arbitraries.frequencyOf(
        Tuple.of(8, envelope),
        Tuple.of(2, broken),
        Tuple.of(
            1,
            Arbitraries.of(
                "{\"id\":\"ID\"}", "[\"ID\"]", "{\"id\":\"ID\",\"result\":\"x\"}{", "")));
  }

  @Property
  void clientReturnsTextOrTypedErrorInTime(@ForAll("replies") String r) {
    reply.set(r);
    ProtocolUnixctl c = new ProtocolUnixctl(() -> socket);
    long start = System.nanoTime();
    try {
      String text = c.call("version", List.of(), Duration.ofMillis(500));
      assertThat(text.length()).isLessThanOrEqualTo(r.length());
    } catch (AgentException typed) {
      assertThat(typed.getMessage()).isNotBlank();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }
}
