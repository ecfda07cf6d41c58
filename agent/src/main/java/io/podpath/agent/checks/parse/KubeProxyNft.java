package io.podpath.agent.checks.parse;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.agent.checks.parse.KubeProxyRules.Portal;
import io.podpath.common.HostPort;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * kube-proxy's nftables programming, from {@code nft -j list table ip kube-proxy} (or {@code ip6}):
 * the elements of its verdict maps {@code service-ips} ({@code IP . PROTO . PORT : goto CHAIN}) and
 * {@code service-nodeports} ({@code PROTO . PORT : goto CHAIN}), each followed through the chains
 * it reaches ({@code jump}/{@code goto}, and the {@code numgen random mod N vmap} of a Service
 * chain) to the {@code dnat to IP:PORT} of the endpoint chains. Chain names are not interpreted:
 * what counts is where the verdicts lead.
 */
public final class KubeProxyNft {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The verdict map of cluster IPs, external IPs and load balancer IPs. */
  public static final String SERVICE_IPS = "service-ips";

  /** The verdict map of NodePorts. */
  public static final String SERVICE_NODEPORTS = "service-nodeports";

  private KubeProxyNft() {}

  /**
   * The table's portals with their DNAT targets ("ip:port", "[v6]:port"): one {@link Portal} per
   * {@code service-ips} element, a {@link Portal#nodePort} per {@code service-nodeports} element. A
   * portal whose chains reach no DNAT maps to an empty set; {@code chains} (may be null) receives
   * the chain each portal's element leads to.
   */
  public record Table(Map<Portal, Set<String>> backends, Map<Portal, String> chains) {
    public Table {
      backends = Map.copyOf(backends);
      chains = Map.copyOf(chains);
    }
  }

  public static Table parse(String json) throws ParseException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new ParseException("nft -j output is not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.path("nftables").isArray()) {
      throw new ParseException("nft -j output has no \"nftables\" array");
    }
    Map<String, List<JsonNode>> rules = new HashMap<>();
    List<JsonNode> maps = new ArrayList<>();
    for (JsonNode o : root.get("nftables")) {
      JsonNode rule = o.path("rule");
      if (rule.isObject() && rule.path("chain").isTextual() && rule.path("expr").isArray()) {
        rules.computeIfAbsent(rule.get("chain").asText(), k -> new ArrayList<>()).add(rule);
      }
      JsonNode map = o.path("map");
      if (map.isObject()) {
        maps.add(map);
      }
    }
    Map<Portal, Set<String>> backends = new LinkedHashMap<>();
    Map<Portal, String> chains = new LinkedHashMap<>();
    for (JsonNode map : maps) {
      String name = map.path("name").asText("");
      boolean nodePorts = SERVICE_NODEPORTS.equals(name);
      if (!nodePorts && !SERVICE_IPS.equals(name)) {
        continue;
      }
      for (JsonNode elem : map.path("elem")) {
        if (!elem.isArray() || elem.size() != 2) {
          continue;
        }
        Portal portal = portal(unwrap(elem.get(0)), nodePorts);
        String target = target(elem.get(1));
        if (portal == null || target == null) {
          continue;
        }
        chains.put(portal, target);
        backends.computeIfAbsent(portal, k -> new TreeSet<>()).addAll(dnatTargets(rules, target));
      }
    }
    return new Table(backends, chains);
  }

  /** An element key with a comment or timeout is {@code {"elem": {"val": KEY, ...}}}. */
  private static JsonNode unwrap(JsonNode key) {
    JsonNode val = key.path("elem").path("val");
    return val.isMissingNode() ? key : val;
  }

  /** {@code {"concat": [IP, PROTO, PORT]}} (service-ips) or {@code [PROTO, PORT]} (nodeports). */
  private static @Nullable Portal portal(JsonNode key, boolean nodePort) {
    JsonNode parts = key.path("concat");
    if (!parts.isArray() || parts.size() != (nodePort ? 2 : 3)) {
      return null;
    }
    int i = nodePort ? 0 : 1;
    String ip = nodePort ? KubeProxyRules.NODE : parts.get(0).asText("");
    String proto = parts.get(i).asText("").toLowerCase(Locale.ROOT);
    int port = port(parts.get(i + 1));
    if (ip.isEmpty()
        || !(proto.equals("tcp") || proto.equals("udp") || proto.equals("sctp"))
        || port < 0) {
      return null;
    }
    return nodePort ? Portal.nodePort(proto, port) : new Portal(ip, proto, port);
  }

  private static int port(JsonNode n) {
    String text = n.isIntegralNumber() ? n.asText() : n.isTextual() ? n.asText() : "";
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    int p = Integer.parseInt(text);
    return p >= 1 && p <= 65535 ? p : -1;
  }

  /** {@code {"goto": {"target": C}}} or {@code {"jump": ...}}: the chain C, else null. */
  private static @Nullable String target(JsonNode verdict) {
    for (String kind : List.of("goto", "jump")) {
      JsonNode t = verdict.path(kind).path("target");
      if (t.isTextual()) {
        return t.asText();
      }
    }
    return null;
  }

  /** Every DNAT target reachable from {@code chain} by jump, goto and verdict maps. */
  private static Set<String> dnatTargets(Map<String, List<JsonNode>> rules, String chain) {
    Set<String> out = new TreeSet<>();
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(chain);
    while (!todo.isEmpty()) {
      String c = todo.poll();
      if (!seen.add(c)) {
        continue;
      }
      for (JsonNode rule : rules.getOrDefault(c, List.of())) {
        for (JsonNode e : rule.get("expr")) {
          String t = target(e);
          if (t != null) {
            todo.add(t);
          }
          for (JsonNode entry : e.path("vmap").path("data").path("set")) {
            if (entry.isArray() && entry.size() == 2) {
              String v = target(entry.get(1));
              if (v != null) {
                todo.add(v);
              }
            }
          }
          JsonNode dnat = e.path("dnat");
          if (dnat.path("addr").isTextual()) {
            String ip = dnat.get("addr").asText();
            int port = port(dnat.path("port"));
            out.add(HostPort.of(ip, Math.max(port, 0)));
          }
        }
      }
    }
    return out;
  }

  /** nft's answer when the table does not exist (the tool's own wording, exit 1). */
  public static boolean tableAbsent(int exitCode, String stderr) {
    return exitCode != 0 && stderr.contains("No such file or directory");
  }
}
