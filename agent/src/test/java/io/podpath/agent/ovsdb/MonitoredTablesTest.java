package io.podpath.agent.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Monitor updates applied to the tables, on a session RECORDED from a real ovsdb-server
 * (fixtures/ovsdb-monitor/node1-monitor.jsonl: a port added, its ofport and iface-id changed, the
 * port deleted, each step ended by an echo barrier).
 */
class MonitoredTablesTest {
  private static final String FIXTURE = "/fixtures/ovsdb-monitor/node1-monitor.jsonl";
  private static final String RERECORD =
      "re-record with hack/record-fixtures --only ovsdb-monitor (hack/fixtures/ovsdb-monitor.sh)";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<JsonNode> lines = new ArrayList<>();

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = MonitoredTablesTest.class.getResourceAsStream(FIXTURE)) {
      assertThat(in).as(FIXTURE + " missing: " + RERECORD).isNotNull();
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!l.isBlank()) {
          lines.add(JSON.readTree(l));
        }
      }
    }
  }

  private static List<JsonNode> messages(String dir, int step) {
    return lines.stream()
        .filter(l -> l.get("dir").asText().equals(dir) && l.get("step").asInt() == step)
        .map(l -> l.get("msg"))
        .toList();
  }

  /** Applies step N's update notifications, as OvsStateMonitor does before the barrier's reply. */
  private static Set<String> step(MonitoredTables t, int n) {
    Set<String> changed = new LinkedHashSet<>();
    for (JsonNode m : messages("recv", n)) {
      if ("update".equals(m.path("method").asText())) {
        assertThat(m.path("params").path(0).asText()).isEqualTo(OvsStateMonitor.MONITOR_ID);
        changed.addAll(t.apply(m.path("params").path(1)));
      }
    }
    return changed;
  }

  private static OvsState state(MonitoredTables t) {
    return OvsState.fromRows(
        t.rows("Open_vSwitch"), t.rows("Bridge"), t.rows("Port"), t.rows("Interface"));
  }

  private static MonitoredTables initial() {
    MonitoredTables t = new MonitoredTables(List.copyOf(OvsStateMonitor.TABLES.keySet()));
    JsonNode reply = messages("recv", 0).get(0);
    t.apply(reply.get("result"));
    return t;
  }

  @Test
  void theRecordedRequestIsWhatTheMonitorAsks() {
    JsonNode request = messages("send", 0).get(0);
    assertThat(request.get("method").asText()).isEqualTo("monitor");
    Map<String, List<String>> asked = new LinkedHashMap<>();
    request
        .get("params")
        .get(2)
        .properties()
        .forEach(
            e -> {
              List<String> cols = new ArrayList<>();
              e.getValue().get("columns").forEach(c -> cols.add(c.asText()));
              asked.put(e.getKey(), cols);
            });
    assertThat(asked)
        .as("the fixture's monitor request; " + RERECORD)
        .isEqualTo(OvsStateMonitor.TABLES);
  }

  @Test
  void initialRowsGiveTheNodesState() {
    OvsState s = state(initial());
    assertThat(s.bridge("br-int")).isPresent();
    assertThat(s.system().externalIds()).containsKey("ovn-encap-ip");
    assertThat(s.interfacesByIfaceId("default_client-1")).hasSize(1);
    OvsInterface c1 = s.interfacesByIfaceId("default_client-1").get(0);
    assertThat(c1.ofport()).isPresent();
    assertThat(s.portOf(c1).flatMap(s::bridgeOf).map(OvsState.OvsBridge::name)).contains("br-int");
    assertThat(s.interfaceByName("ppmonfx0")).isEmpty();
  }

  @Test
  void aPortAddedChangedAndDeletedIsSeenAfterEachBarrier() {
    MonitoredTables t = initial();

    assertThat(step(t, 1)).contains("Interface", "Port", "Bridge");
    OvsState added = state(t);
    OvsInterface i = added.interfaceByName("ppmonfx0").orElseThrow();
    assertThat(i.ofport()).hasValue(77);
    assertThat(added.interfacesByIfaceId("default_monitor-fixture")).containsExactly(i);
    assertThat(added.portOf(i).flatMap(added::bridgeOf).map(OvsState.OvsBridge::name))
        .contains("br-int");

    assertThat(step(t, 2)).containsExactly("Interface");
    assertThat(state(t).interfaceByName("ppmonfx0").orElseThrow().ofport()).hasValue(78);

    step(t, 3);
    OvsState renamed = state(t);
    assertThat(renamed.interfacesByIfaceId("default_monitor-fixture")).isEmpty();
    assertThat(renamed.interfacesByIfaceId("default_monitor-fixture-2")).hasSize(1);

    assertThat(step(t, 4)).contains("Interface", "Port", "Bridge");
    OvsState deleted = state(t);
    assertThat(deleted.interfaceByName("ppmonfx0")).isEmpty();
    assertThat(deleted.ports()).noneMatch(p -> p.name().equals("ppmonfx0"));
    assertThat(deleted.bridge("br-int").orElseThrow().portUuids())
        .hasSameSizeAs(state(initial()).bridge("br-int").orElseThrow().portUuids());
    assertThat(deleted).isEqualTo(state(initial()));
  }

  @Test
  void aModifyCarryingOnlyChangedColumnsKeepsTheOthers() throws IOException {
    MonitoredTables t = initial();
    OvsInterface c1 = state(t).interfacesByIfaceId("default_client-1").get(0);
    t.apply(JSON.readTree("{\"Interface\":{\"" + c1.uuid() + "\":{\"new\":{\"ofport\":99}}}}"));
    OvsInterface after = state(t).interfaceByName(c1.name()).orElseThrow();
    assertThat(after.ofport()).hasValue(99);
    assertThat(after.externalIds()).isEqualTo(c1.externalIds());
    assertThat(after.uuid()).isEqualTo(c1.uuid());
  }

  @Test
  void badUpdatesAreProtocolErrors() throws IOException {
    MonitoredTables t = initial();
    assertThatThrownBy(() -> t.apply(JSON.readTree("[1]")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("not an object");
    assertThatThrownBy(() -> t.apply(JSON.readTree("{\"Flow_Table\":{}}")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("Flow_Table");
    assertThatThrownBy(() -> t.apply(JSON.readTree("{\"Port\":{\"u1\":{\"new\":7}}}")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("u1");
    assertThat(Optional.of(state(t))).contains(state(initial()));
  }
}
