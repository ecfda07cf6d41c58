package io.podpath.agent.ovsdb;

import static io.podpath.agent.ovsdb.ScriptedPeer.readOne;
import static io.podpath.agent.ovsdb.ScriptedPeer.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.errors.UnavailableException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JSON-RPC framing rules OVS peers rely on, against a scripted peer on a unix socket: the
 * server's echo requests are answered in the middle of a call, notifications are skipped, a silent
 * peer ends in DEADLINE_EXCEEDED. (Real OVS answers are covered by the sandbox tests.)
 */
class JsonRpcConnectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private ScriptedPeer scripted;

  @BeforeEach
  void listen() throws Exception {
    scripted = new ScriptedPeer("scripted.sock");
  }

  @AfterEach
  void close() throws Exception {
    scripted.close();
  }

  @Test
  void answersEchoAndSkipsNotificationsDuringACall() throws Exception {
    CompletableFuture<JsonNode> echoReply =
        CompletableFuture.supplyAsync(
            () -> {
              try (SocketChannel ch = scripted.accept()) {
                JsonNode req = readOne(ch);
                send(ch, "{\"method\":\"echo\",\"params\":[\"ping\"],\"id\":\"echo\"}");
                JsonNode echo = readOne(ch);
                // a notification, then the answer split in two writes
                send(ch, "{\"method\":\"update\",\"params\":[null,{}],\"id\":null}\n");
                String answer =
                    "{\"id\":" + req.get("id") + ",\"result\":[\"Open_vSwitch\"],\"error\":null}";
                send(ch, answer.substring(0, 10));
                Thread.sleep(50);
                send(ch, answer.substring(10));
                return echo; // written data stays readable after our close
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    try (JsonRpcConnection c =
        JsonRpcConnection.open(Remote.unix(scripted.sock), Duration.ofSeconds(2))) {
      JsonNode resp =
          c.call("list_dbs", JSON.createArrayNode(), Instant.now().plus(Duration.ofSeconds(5)));
      assertThat(resp.get("result").get(0).asText()).isEqualTo("Open_vSwitch");
    }
    JsonNode echo = echoReply.get();
    assertThat(echo.get("id").asText()).isEqualTo("echo");
    assertThat(echo.get("result").get(0).asText()).isEqualTo("ping");
    assertThat(echo.get("error").isNull()).isTrue();
  }

  @Test
  void silentPeerEndsInDeadlineExceededNamingTheSocket() throws Exception {
    CompletableFuture<Void> peer =
        CompletableFuture.runAsync(
            () -> {
              try (SocketChannel ch = scripted.accept()) {
                readOne(ch);
                Thread.sleep(1000);
              } catch (Throwable e) {
                // client gave up first
              }
            });
    try (JsonRpcConnection c =
        JsonRpcConnection.open(Remote.unix(scripted.sock), Duration.ofSeconds(2))) {
      assertThatThrownBy(
              () ->
                  c.call(
                      "list_dbs",
                      JSON.createArrayNode(),
                      Instant.now().plus(Duration.ofMillis(200))))
          .isInstanceOf(DeadlineExceededException.class)
          .hasMessageContaining(scripted.sock.toString());
      assertThat(c.broken()).isTrue();
    }
    peer.get();
  }

  @Test
  void nothingListeningIsUnavailableNamingTheSocket() {
    Path none = scripted.dir.resolve("none.sock");
    assertThatThrownBy(() -> JsonRpcConnection.open(Remote.unix(none), Duration.ofSeconds(1)))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("unix:" + none);
  }
}
