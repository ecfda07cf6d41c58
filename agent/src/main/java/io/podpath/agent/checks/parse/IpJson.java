package io.podpath.agent.checks.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parsers for iproute2's JSON output ({@code ip -j link}, {@code ip -j addr}, {@code ip -j route
 * get}).
 */
public final class IpJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private IpJson() {}

  /** One link. {@code linkIndex} is the peer's ifindex for a veth (0 when absent). */
  public record Link(
      int ifindex,
      String name,
      int mtu,
      String operstate,
      int linkIndex,
      String address,
      Counters rx,
      Counters tx) {}

  /** From {@code ip -s -j link}: zero when the output had no statistics. */
  public record Counters(long packets, long errors, long dropped) {
    static final Counters NONE = new Counters(0, 0, 0);
  }

  public record Address(String ifname, String family, String local, int prefixlen, String scope) {}

  /** {@code type} is "unicast", "unreachable", "local", ... as ip prints it. */
  public record RouteGet(String dst, String type, String dev, String gateway, String prefsrc) {}

  public static List<Link> links(String json) throws ParseException {
    List<Link> out = new ArrayList<>();
    for (JsonNode n : array(json, "ip link")) {
      JsonNode stats = n.path("stats64");
      out.add(
          new Link(
              n.path("ifindex").asInt(),
              n.path("ifname").asText(),
              n.path("mtu").asInt(),
              n.path("operstate").asText(""),
              n.path("link_index").asInt(0),
              n.path("address").asText(""),
              counters(stats.path("rx")),
              counters(stats.path("tx"))));
    }
    return out;
  }

  public static Optional<Link> link(List<Link> links, String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  public static List<Address> addresses(String json) throws ParseException {
    List<Address> out = new ArrayList<>();
    for (JsonNode n : array(json, "ip addr")) {
      for (JsonNode a : n.path("addr_info")) {
        out.add(
            new Address(
                n.path("ifname").asText(),
                a.path("family").asText(),
                a.path("local").asText(),
                a.path("prefixlen").asInt(),
                a.path("scope").asText("")));
      }
    }
    return out;
  }

  public static RouteGet routeGet(String json) throws ParseException {
    JsonNode arr = array(json, "ip route get");
    if (arr.isEmpty()) {
      throw new ParseException("ip route get: empty answer");
    }
    JsonNode r = arr.get(0);
    return new RouteGet(
        r.path("dst").asText(""),
        r.path("type").asText("unicast"),
        r.path("dev").asText(""),
        r.path("gateway").asText(""),
        r.path("prefsrc").asText(""));
  }

  private static Counters counters(JsonNode n) {
    if (n.isMissingNode()) {
      return Counters.NONE;
    }
    return new Counters(
        n.path("packets").asLong(), n.path("errors").asLong(), n.path("dropped").asLong());
  }

  private static JsonNode array(String json, String what) throws ParseException {
    try {
      JsonNode root = MAPPER.readTree(json);
      if (root == null || !root.isArray()) {
        throw new ParseException(what + ": expected a JSON array");
      }
      return root;
    } catch (IOException e) {
      throw new ParseException(what + ": not JSON: " + e.getMessage(), e);
    }
  }
}
