package io.podpath.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** One row as the server sent it, with typed getters over OVSDB value notation. */
public record OvsdbRow(Map<String, JsonNode> columns) {

  public OvsdbRow {
    columns = Map.copyOf(columns);
  }

  public String uuid() {
    return string("_uuid");
  }

  public boolean has(String column) {
    return columns.containsKey(column);
  }

  /** A scalar column as text; "" when absent or an empty set. */
  public String string(String column) {
    return optString(column).orElse("");
  }

  /** An optional scalar (a set of 0 or 1 element). */
  public Optional<String> optString(String column) {
    List<JsonNode> s = OvsdbValues.set(columns.get(column));
    return s.isEmpty() ? Optional.empty() : Optional.of(OvsdbValues.atom(s.get(0)));
  }

  /** An optional integer column such as ofport or ifindex (empty set = absent). */
  public OptionalLong integer(String column) {
    List<JsonNode> s = OvsdbValues.set(columns.get(column));
    if (s.isEmpty() || !s.get(0).canConvertToLong()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(s.get(0).asLong());
  }

  public boolean bool(String column) {
    List<JsonNode> s = OvsdbValues.set(columns.get(column));
    return !s.isEmpty() && s.get(0).asBoolean();
  }

  public List<String> set(String column) {
    return OvsdbValues.stringSet(columns.get(column));
  }

  public Map<String, String> map(String column) {
    return OvsdbValues.map(columns.get(column));
  }
}
