package io.podpath.agent.ovsdb;

import static io.podpath.agent.core.Fixtures.HINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.agent.core.Fixtures;
import io.podpath.agent.errors.ProtocolException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class OvsdbParsingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void vsctlAndProtocolAnswersRecordedTogetherParseToTheSameRows() throws Exception {
    List<OvsdbRow> vsctl = VsctlOvsDatabase.parse(Fixtures.read("vsctl-interface.json"));
    JsonNode resp = JSON.readTree(Fixtures.read("ovsdb-select-interface.json"));
    List<OvsdbRow> proto =
        StreamSupport.stream(resp.get("result").get(0).get("rows").spliterator(), false)
            .map(
                r -> {
                  Map<String, JsonNode> m = new LinkedHashMap<>();
                  r.properties().forEach(e -> m.put(e.getKey(), e.getValue()));
                  return new OvsdbRow(m);
                })
            .toList();
    Comparator<OvsdbRow> byUuid = Comparator.comparing(OvsdbRow::uuid);
    assertThat(proto.stream().sorted(byUuid).toList())
        .as(HINT)
        .isEqualTo(vsctl.stream().sorted(byUuid).toList());
  }

  @Test
  void typedGettersReadThePodInterface() {
    OvsdbRow web1 =
        VsctlOvsDatabase.parse(Fixtures.read("vsctl-interface.json")).stream()
            .filter(r -> "default_web-1".equals(r.map("external_ids").get("iface-id")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no default_web-1 row; " + HINT));
    assertThat(web1.integer("ofport")).as(HINT).isPresent();
    assertThat(web1.integer("ofport").getAsLong()).isPositive();
    assertThat(web1.integer("ifindex").getAsLong()).isPositive();
    assertThat(web1.string("type")).isEmpty();
    assertThat(web1.optString("error")).isEmpty();
    assertThat(web1.uuid()).matches("[0-9a-f-]{36}");
  }

  @Test
  void tunnelRowHasOptionsAndNoMtu() {
    OvsdbRow tun =
        VsctlOvsDatabase.parse(Fixtures.read("vsctl-interface.json")).stream()
            .filter(r -> r.string("type").equals("geneve"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no geneve row; " + HINT));
    assertThat(tun.map("options")).as(HINT).containsKeys("remote_ip", "key");
    assertThat(tun.integer("mtu")).isEmpty();
  }

  @Test
  void bridgesListTheirPortsAsUuids() {
    List<OvsdbRow> bridges = VsctlOvsDatabase.parse(Fixtures.read("vsctl-bridge.json"));
    assertThat(bridges).extracting(r -> r.string("name")).as(HINT).contains("br-int", "br-phy");
    assertThat(bridges).allSatisfy(b -> assertThat(b.set("ports")).isNotEmpty());
    assertThat(bridges).allSatisfy(b -> assertThat(b.string("datapath_type")).isEqualTo("netdev"));
  }

  @Test
  void valueNotation() throws Exception {
    assertThat(OvsdbValues.atom(JSON.readTree("[\"uuid\",\"abc\"]"))).isEqualTo("abc");
    assertThat(OvsdbValues.atom(JSON.readTree("5"))).isEqualTo("5");
    assertThat(OvsdbValues.atom(JSON.readTree("true"))).isEqualTo("true");
    assertThat(OvsdbValues.stringSet(JSON.readTree("[\"set\",[1,2]]"))).containsExactly("1", "2");
    assertThat(OvsdbValues.stringSet(JSON.readTree("\"x\""))).containsExactly("x");
    assertThat(OvsdbValues.map(JSON.readTree("[\"map\",[[\"a\",[\"uuid\",\"u\"]]]]")))
        .containsExactly(Map.entry("a", "u"));
    assertThatThrownBy(() -> OvsdbValues.map(JSON.readTree("[\"set\",[]]")))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> OvsdbValues.atom(JSON.readTree("{\"a\":1}")))
        .isInstanceOf(ProtocolException.class);
  }
}
