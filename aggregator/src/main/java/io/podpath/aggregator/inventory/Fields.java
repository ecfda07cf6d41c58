package io.podpath.aggregator.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.aggregator.util.IpLiteral;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Typed reads from one manifest object; every error names the object and the field path. */
final class Fields {
  private final String where;
  private final JsonNode root;

  Fields(String where, JsonNode root) {
    this.where = where;
    this.root = root;
  }

  ManifestException error(String path, String problem) {
    return new ManifestException(where + ": " + path + ": " + problem);
  }

  @Nullable JsonNode at(String path) {
    JsonNode n = root;
    for (String part : path.split("\\.")) {
      if (n == null || n.isNull() || n.isMissingNode()) {
        return null;
      }
      if (!n.isObject()) {
        throw error(path, "expected an object at '" + part + "', found " + n.getNodeType());
      }
      n = n.get(part);
    }
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }

  String requiredText(String path) {
    String s = text(path, "");
    if (s.isEmpty()) {
      throw error(path, "missing");
    }
    return s;
  }

  String text(String path, String dflt) {
    return text(at(path), path, dflt);
  }

  String text(@Nullable JsonNode n, String path, String dflt) {
    if (n == null) {
      return dflt;
    }
    if (!n.isValueNode()) {
      throw error(path, "expected a string, found " + n.getNodeType());
    }
    return n.asText();
  }

  boolean bool(String path, boolean dflt) {
    JsonNode n = at(path);
    if (n == null) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw error(path, "expected true or false, found '" + n.asText() + "'");
    }
    return n.booleanValue();
  }

  int port(JsonNode n, String path) {
    // isIntegralNumber: canConvertToInt alone lets 1.5 through as port 1.
    if (n == null
        || !n.isIntegralNumber()
        || !n.canConvertToInt()
        || n.asInt() < 1
        || n.asInt() > 65535) {
      throw error(
          path,
          "expected a port number 1-65535, found "
              + (n == null ? "nothing" : "'" + n.asText() + "'"));
    }
    return n.asInt();
  }

  /** A Service/EndpointSlice port protocol: TCP (the default), UDP or SCTP. */
  String protocol(JsonNode n, String path) {
    if (n == null || n.isNull()) {
      return "TCP";
    }
    String p = n.isTextual() ? n.asText() : "";
    if (!p.equals("TCP") && !p.equals("UDP") && !p.equals("SCTP")) {
      throw error(path, "expected TCP, UDP or SCTP, found '" + n.asText() + "'");
    }
    return p;
  }

  String ip(JsonNode n, String path) {
    String s = text(n, path, "");
    return IpLiteral.canonical(s)
        .orElseThrow(() -> error(path, "'" + s + "' is not an IP address"));
  }

  List<JsonNode> list(String path) {
    return list(at(path), path);
  }

  List<JsonNode> list(@Nullable JsonNode n, String path) {
    if (n == null) {
      return List.of();
    }
    if (!n.isArray()) {
      throw error(path, "expected a list, found " + n.getNodeType());
    }
    List<JsonNode> out = new ArrayList<>();
    n.forEach(out::add);
    return out;
  }

  Map<String, String> stringMap(String path) {
    JsonNode n = at(path);
    if (n == null) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw error(path, "expected a map, found " + n.getNodeType());
    }
    Map<String, String> out = new LinkedHashMap<>();
    n.properties()
        .forEach(e -> out.put(e.getKey(), text(e.getValue(), path + "." + e.getKey(), "")));
    return out;
  }
}
