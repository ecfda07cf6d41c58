package io.podpath.agent.ip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.agent.errors.ProtocolException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Parsers for iproute2's JSON output ({@code ip -j}) and for {@code ethtool -S}. */
public final class IpJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private IpJson() {}

  /** {@code ip -j link} or {@code ip -j addr} (addresses present only for the latter). */
  public static List<IpLink> links(String json) {
    List<IpLink> out = new ArrayList<>();
    for (JsonNode l : array(json, "ip link/addr")) {
      List<IpLink.IpAddr> addrs = new ArrayList<>();
      for (JsonNode a : l.path("addr_info")) {
        if (a.has("local")) {
          addrs.add(
              new IpLink.IpAddr(
                  a.path("family").asText(),
                  a.path("local").asText(),
                  a.path("prefixlen").asInt(),
                  a.path("scope").asText()));
        }
      }
      List<String> flags = new ArrayList<>();
      l.path("flags").forEach(f -> flags.add(f.asText()));
      out.add(
          new IpLink(
              l.path("ifindex").asInt(),
              l.path("ifname").asText(),
              optInt(l, "link_index"),
              optInt(l, "link_netnsid"),
              l.path("mtu").asInt(),
              l.path("address").asText(),
              l.path("operstate").asText(),
              List.copyOf(flags),
              List.copyOf(addrs),
              counters(l.path("stats64").path("rx")),
              counters(l.path("stats64").path("tx"))));
    }
    return out;
  }

  /** {@code ip -j route} (either family). */
  public static List<IpRoute> routes(String json) {
    List<IpRoute> out = new ArrayList<>();
    for (JsonNode r : array(json, "ip route")) {
      int mtu = 0;
      for (JsonNode m : r.path("metrics")) {
        if (m.has("mtu")) {
          mtu = m.path("mtu").asInt();
        }
      }
      out.add(
          new IpRoute(
              r.path("type").asText("unicast"),
              r.path("dst").asText(),
              r.path("gateway").asText(""),
              r.path("dev").asText(""),
              r.path("protocol").asText(""),
              r.path("scope").asText(""),
              r.path("prefsrc").asText(""),
              mtu));
    }
    return out;
  }

  /** {@code ip -j route get ADDR}: the one route the kernel would use. */
  public static IpRoute routeGet(String json) {
    List<IpRoute> r = routes(json);
    if (r.isEmpty()) {
      throw new ProtocolException("ip route get: empty answer");
    }
    return r.get(0);
  }

  /** {@code ip -j netns list-id}: nsid → netns name, for the ids iproute2 could name. */
  public static Map<Integer, String> nsids(String json) {
    Map<Integer, String> out = new LinkedHashMap<>();
    for (JsonNode n : array(json, "ip netns list-id")) {
      if (n.has("name")) {
        out.put(n.path("nsid").asInt(), n.path("name").asText());
      }
    }
    return out;
  }

  /** {@code ethtool -S IF}: "name: value" lines under "NIC statistics:". */
  public static Map<String, Long> ethtoolStats(String text) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int colon = line.lastIndexOf(':');
      if (colon <= 0 || !line.startsWith(" ")) {
        continue;
      }
      String key = line.substring(0, colon).strip();
      String val = line.substring(colon + 1).strip();
      try {
        out.put(key, Long.parseLong(val));
      } catch (NumberFormatException e) {
        // not a counter line
      }
    }
    return out;
  }

  private static JsonNode array(String json, String what) {
    if (json.isBlank()) {
      return JSON.createArrayNode();
    }
    try {
      JsonNode n = JSON.readTree(json);
      if (!n.isArray()) {
        throw new ProtocolException(what + ": expected a JSON array");
      }
      return n;
    } catch (IOException e) {
      throw new ProtocolException(what + ": malformed JSON: " + e.getMessage(), e);
    }
  }

  private static IpLink.Counters counters(JsonNode n) {
    if (n.isMissingNode()) {
      return IpLink.Counters.NONE;
    }
    return new IpLink.Counters(
        n.path("packets").asLong(), n.path("errors").asLong(), n.path("dropped").asLong());
  }

  private static OptionalInt optInt(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.canConvertToInt() ? OptionalInt.of(v.asInt()) : OptionalInt.empty();
  }
}
