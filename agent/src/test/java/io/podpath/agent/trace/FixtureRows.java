package io.podpath.agent.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.agent.ovn.Northbound;
import io.podpath.agent.ovn.OvnTables;
import io.podpath.agent.ovn.Southbound;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsdbRow;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Recorded RFC 7047 select results (hack/fixtures/trace.sh) as rows, states and OVN tables. */
final class FixtureRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FixtureRows() {}

  /** The rows of the {@code op}-th operation of a recorded transact result. */
  static List<OvsdbRow> rows(String fixture, int op) {
    try {
      JsonNode results = JSON.readTree(TraceFixtures.read(fixture));
      List<OvsdbRow> out = new ArrayList<>();
      for (JsonNode row : results.get(op).get("rows")) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        row.properties().forEach(e -> m.put(e.getKey(), e.getValue()));
        out.add(new OvsdbRow(m));
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An OvsState with the node's recorded interfaces (bridges come from dpif/show). */
  static OvsState interfaces(String fixture) {
    List<OvsState.OvsInterface> ifaces = new ArrayList<>();
    for (OvsdbRow r : rows(fixture, 0)) {
      ifaces.add(
          new OvsState.OvsInterface(
              r.uuid(),
              r.string("name"),
              r.string("type"),
              r.integer("ofport"),
              OptionalLong.empty(),
              OptionalLong.empty(),
              r.map("options"),
              r.map("external_ids"),
              Map.of(),
              "",
              r.string("mac_in_use")));
    }
    return new OvsState(
        new OvsState.OvsSystem("", "", Map.of(), List.of()), List.of(), List.of(), ifaces);
  }

  static Southbound southbound() {
    return southbound("");
  }

  /** {@code dir}: "" for the IPv4 recordings, "ipv6/" for hack/fixtures/trace-ipv6.sh's. */
  static Southbound southbound(String dir) {
    String f = dir + "sb-logical-flows.json";
    return Southbound.ofRows(rows(f, 0), rows(f, 1), rows(f, 2), rows(f, 3));
  }

  static Northbound northbound() {
    return northbound("");
  }

  static Northbound northbound(String dir) {
    String f = dir + "nb-acls-lbs.json";
    return Northbound.ofRows(rows(f, 0), rows(f, 1), rows(f, 2), rows(f, 3));
  }

  /** OVN tables from the recordings; {@code withNb=false} plays a node that cannot reach the NB. */
  static OvnTables tables(boolean withNb) {
    return tables("", withNb);
  }

  static OvnTables tables(String dir, boolean withNb) {
    Southbound sb = southbound(dir);
    Optional<Northbound> nb = withNb ? Optional.of(northbound(dir)) : Optional.empty();
    return new OvnTables() {
      @Override
      public Southbound southbound(Duration timeout) {
        return sb;
      }

      @Override
      public Optional<Northbound> northbound(Duration timeout) {
        return nb;
      }

      @Override
      public Southbound southboundFresh(Duration timeout) {
        return sb;
      }

      @Override
      public Optional<Northbound> northboundFresh(Duration timeout) {
        return nb;
      }

      @Override
      public String describe() {
        return "recorded fixtures";
      }
    };
  }
}
