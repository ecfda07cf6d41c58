package io.podpath.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.podpath.agent.errors.ProtocolException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of monitored tables, kept by applying RFC 7047 {@code <table-updates>} (§4.1.6): the
 * monitor reply's initial rows, then every "update" notification. Rows carry their {@code _uuid}
 * like selected rows do, so {@link OvsdbRow}'s getters work on both. Not thread-safe.
 */
public final class MonitoredTables {
  private final Map<String, Map<String, OvsdbRow>> tables = new HashMap<>();

  public MonitoredTables(List<String> names) {
    names.forEach(n -> tables.put(n, new LinkedHashMap<>()));
  }

  /**
   * Applies one {@code <table-updates>} object: a row update with "new" inserts or modifies the row
   * (merged over the old copy, so monitors that send only changed columns work too), one with only
   * "old" deletes it.
   *
   * @return the tables that changed
   * @throws ProtocolException when the object is not table-updates for the monitored tables
   */
  public Set<String> apply(JsonNode tableUpdates) {
    if (tableUpdates == null || !tableUpdates.isObject()) {
      throw new ProtocolException("monitor: table-updates is not an object: " + tableUpdates);
    }
    Set<String> changed = new LinkedHashSet<>();
    var it = tableUpdates.properties().iterator();
    while (it.hasNext()) {
      var table = it.next();
      Map<String, OvsdbRow> rows = tables.get(table.getKey());
      if (rows == null || !table.getValue().isObject()) {
        throw new ProtocolException("monitor: update for unexpected table " + table.getKey());
      }
      var updates = table.getValue().properties().iterator();
      while (updates.hasNext()) {
        var u = updates.next();
        String uuid = u.getKey();
        JsonNode fresh = u.getValue().get("new");
        if (fresh == null || fresh.isNull()) {
          rows.remove(uuid);
        } else if (!fresh.isObject()) {
          throw new ProtocolException("monitor: row " + uuid + " of " + table.getKey() + " bad");
        } else {
          Map<String, JsonNode> cols = new HashMap<>();
          OvsdbRow old = rows.get(uuid);
          if (old != null) {
            cols.putAll(old.columns());
          }
          fresh.properties().forEach(e -> cols.put(e.getKey(), e.getValue()));
          cols.put("_uuid", JsonNodeFactory.instance.arrayNode().add("uuid").add(uuid));
          rows.put(uuid, new OvsdbRow(cols));
        }
        changed.add(table.getKey());
      }
    }
    return changed;
  }

  /** The table's rows, in the order they first appeared. */
  public List<OvsdbRow> rows(String table) {
    Map<String, OvsdbRow> rows = tables.get(table);
    return rows == null ? List.of() : new ArrayList<>(rows.values());
  }
}
