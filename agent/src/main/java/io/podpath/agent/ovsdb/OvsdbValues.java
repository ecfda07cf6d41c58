package io.podpath.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.agent.errors.ProtocolException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes OVSDB's JSON value notation (RFC 7047 section 5.1): atoms (string, integer, real,
 * boolean, ["uuid",u], ["named-uuid",n]), ["set",[atoms]] and ["map",[[k,v]...]]. A set of one
 * element may also be written as the bare atom.
 */
public final class OvsdbValues {
  private OvsdbValues() {}

  /** An atom as text: strings as is, numbers and booleans printed, uuids as the bare uuid. */
  public static String atom(@Nullable JsonNode v) {
    if (v == null || v.isNull()) {
      return "";
    }
    if (v.isTextual() || v.isNumber() || v.isBoolean()) {
      return v.asText();
    }
    if (v.isArray()
        && v.size() == 2
        && v.get(0).isTextual()
        && ("uuid".equals(v.get(0).asText()) || "named-uuid".equals(v.get(0).asText()))) {
      return v.get(1).asText();
    }
    throw new ProtocolException("not an OVSDB atom: " + v);
  }

  /** The elements of a set (a bare atom is a set of one). */
  public static List<JsonNode> set(@Nullable JsonNode v) {
    List<JsonNode> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (isTagged(v, "set")) {
      v.get(1).forEach(out::add);
    } else if (isTagged(v, "map")) {
      throw new ProtocolException("expected a set, got a map: " + v);
    } else {
      out.add(v);
    }
    return out;
  }

  /** The elements of a set, as text. */
  public static List<String> stringSet(@Nullable JsonNode v) {
    List<String> out = new ArrayList<>();
    for (JsonNode a : set(v)) {
      out.add(atom(a));
    }
    return out;
  }

  /** A map as text keys and values, in the server's order. */
  public static Map<String, String> map(@Nullable JsonNode v) {
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!isTagged(v, "map")) {
      throw new ProtocolException("expected an OVSDB map, got " + v);
    }
    for (JsonNode pair : v.get(1)) {
      if (!pair.isArray() || pair.size() != 2) {
        throw new ProtocolException("bad map pair " + pair);
      }
      out.put(atom(pair.get(0)), atom(pair.get(1)));
    }
    return out;
  }

  private static boolean isTagged(JsonNode v, String tag) {
    return v.isArray()
        && v.size() == 2
        && v.get(0).isTextual()
        && tag.equals(v.get(0).asText())
        && v.get(1).isArray();
  }
}
