package io.podpath.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;

/** One "where" clause of an OVSDB select: [column, function, value]. */
public record OvsdbCondition(String column, String function, JsonNode value) {

  public static OvsdbCondition eq(String column, String value) {
    return new OvsdbCondition(column, "==", TextNode.valueOf(value));
  }

  public static OvsdbCondition eqUuid(String column, String uuid) {
    ArrayNode u = JsonRpcConnection.JSON.createArrayNode().add("uuid").add(uuid);
    return new OvsdbCondition(column, "==", u);
  }

  /** The set column (of UUIDs) holds {@code uuid}, e.g. Port_Group.acls. */
  public static OvsdbCondition includesUuid(String column, String uuid) {
    ArrayNode u = JsonRpcConnection.JSON.createArrayNode().add("uuid").add(uuid);
    return new OvsdbCondition(column, "includes", u);
  }

  /** The map column includes every given key/value pair (e.g. external_ids:iface-id). */
  public static OvsdbCondition includes(String column, Map<String, String> pairs) {
    ArrayNode inner = JsonRpcConnection.JSON.createArrayNode();
    pairs.forEach((k, v) -> inner.add(JsonRpcConnection.JSON.createArrayNode().add(k).add(v)));
    ArrayNode map = JsonRpcConnection.JSON.createArrayNode().add("map").add(inner);
    return new OvsdbCondition(column, "includes", map);
  }

  JsonNode toJson() {
    return JsonRpcConnection.JSON.createArrayNode().add(column).add(function).add(value);
  }
}
