package io.podpath.agent.ovsdb;

import static io.podpath.agent.ovsdb.ScriptedPeer.readOne;
import static io.podpath.agent.ovsdb.ScriptedPeer.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor's connection handling against a scripted peer on a unix socket: a dropped connection
 * is re-opened with a full resync, an answer it cannot parse falls back to reading the tables once.
 * (The real ovsdb-server's behaviour is covered by MonitoredTablesTest's recording and the sandbox
 * tests.)
 */
class OvsStateMonitorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private ScriptedPeer scripted;

  @BeforeEach
  void listen() throws Exception {
    scripted = new ScriptedPeer("db.sock");
  }

  @AfterEach
  void close() throws Exception {
    scripted.close();
  }

  private static String bridgeRows(String name) {
    return "{\"Bridge\":{\"11111111-1111-1111-1111-111111111111\":{\"new\":{\"name\":\""
        + name
        + "\",\"datapath_type\":\"\",\"ports\":[\"set\",[]],\"external_ids\":[\"map\",[]]}}}}";
  }

  /** An OvsDatabase that must not be used. */
  private static final OvsDatabase UNUSED =
      new OvsDatabase() {
        @Override
        public List<OvsdbRow> list(String table, List<String> columns, Duration timeout) {
          throw new AssertionError("fallback used for " + table);
        }

        @Override
        public String via() {
          return "unused";
        }
      };

  @Test
  void aDroppedConnectionIsReopenedWithAFullResync() throws Exception {
    List<String> methods = new ArrayList<>();
    CompletableFuture<Void> peer =
        CompletableFuture.runAsync(
            () -> {
              try {
                try (SocketChannel ch = scripted.accept()) {
                  JsonNode monitor = readOne(ch);
                  methods.add(monitor.get("method").asText());
                  send(ch, "{\"id\":0,\"error\":null,\"result\":" + bridgeRows("br-old") + "}");
                  methods.add(readOne(ch).get("method").asText()); // the first barrier
                  send(ch, "{\"id\":1,\"error\":null,\"result\":[]}");
                } // closed: as a restarted ovsdb-server does
                try (SocketChannel ch = scripted.accept()) {
                  JsonNode monitor = readOne(ch);
                  methods.add(monitor.get("method").asText());
                  send(
                      ch,
                      "{\"id\":"
                          + monitor.get("id")
                          + ",\"error\":null,\"result\":"
                          + bridgeRows("br-new")
                          + "}");
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    try (OvsStateMonitor m = new OvsStateMonitor(Remote.unix(scripted.sock), UNUSED)) {
      OvsStateMonitor.Snapshot first = m.current(Duration.ofSeconds(5));
      assertThat(first.state().bridge("br-old")).isPresent();
      OvsStateMonitor.Snapshot again = m.current(Duration.ofSeconds(5));
      assertThat(again.portsVersion()).isEqualTo(first.portsVersion());
      OvsStateMonitor.Snapshot resynced = m.current(Duration.ofSeconds(5));
      assertThat(resynced.monitored()).isTrue();
      assertThat(resynced.state().bridge("br-new")).isPresent();
      assertThat(resynced.state().bridge("br-old")).isEmpty();
      assertThat(resynced.portsVersion()).isGreaterThan(first.portsVersion());
    }
    peer.get();
    assertThat(methods).containsExactly("monitor", "echo", "monitor");
  }

  @Test
  void anAnswerItCannotParseFallsBackToReadingTheTablesOnce() throws Exception {
    CompletableFuture<Void> peer =
        CompletableFuture.runAsync(
            () -> {
              try (SocketChannel ch = scripted.accept()) {
                readOne(ch);
                send(ch, "{\"id\":0,\"error\":null,\"result\":{\"Bridge\":[1,2]}}");
                Thread.sleep(200);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    AtomicInteger reads = new AtomicInteger();
    OvsDatabase fallback =
        new OvsDatabase() {
          @Override
          public List<OvsdbRow> list(String table, List<String> columns, Duration timeout) {
            reads.incrementAndGet();
            if (!table.equals("Bridge")) {
              return List.of();
            }
            return List.of(
                new OvsdbRow(
                    Map.of(
                        "_uuid", JSON.createArrayNode().add("uuid").add("u1"),
                        "name", JSON.getNodeFactory().textNode("br-int"))));
          }

          @Override
          public String via() {
            return "exec";
          }
        };
    try (OvsStateMonitor m = new OvsStateMonitor(Remote.unix(scripted.sock), fallback)) {
      OvsStateMonitor.Snapshot s = m.current(Duration.ofSeconds(5));
      assertThat(s.monitored()).isFalse();
      assertThat(s.state().bridge("br-int")).isPresent();
      assertThat(reads).hasValue(4);
    }
    peer.get();
  }
}
