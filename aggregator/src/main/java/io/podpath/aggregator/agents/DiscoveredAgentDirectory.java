package io.podpath.aggregator.agents;

import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.PodInfo;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Agents found in the cluster: the running agent pods (by namespace and label selector), each
 * reached at its hostIP (agents run with hostNetwork) and the agent port.
 */
public final class DiscoveredAgentDirectory implements AgentDirectory {
  private final Inventory inventory;
  private final String namespace;
  private final Map<String, String> selector;
  private final int port;

  public DiscoveredAgentDirectory(
      Inventory inventory, String namespace, Map<String, String> selector, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("agent port " + port + " is not in 1-65535");
    }
    this.inventory = inventory;
    this.namespace = namespace;
    this.selector = Map.copyOf(selector);
    this.port = port;
  }

  /** Parses a selector "k=v,k2=v2" (equality only). */
  public static Map<String, String> parseSelector(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "selector '" + text + "': expected key=value[,key=value]");
      }
      out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    return out;
  }

  private Map<String, AgentAddress> scan() {
    Map<String, AgentAddress> out = new LinkedHashMap<>();
    inventory.pods(namespace, selector).stream()
        .filter(p -> !p.node().isEmpty() && !p.hostIp().isEmpty())
        .filter(p -> "Running".equals(p.phase()))
        .sorted(Comparator.comparing(PodInfo::ready).reversed())
        .forEach(p -> out.putIfAbsent(p.node(), new AgentAddress(p.node(), p.hostIp(), port)));
    return out;
  }

  @Override
  public Optional<AgentAddress> lookup(String node) {
    return Optional.ofNullable(scan().get(node));
  }

  @Override
  public List<AgentAddress> all() {
    return List.copyOf(scan().values());
  }

  @Override
  public String description() {
    return "agent pods "
        + (namespace.isEmpty() ? "" : namespace + "/")
        + selector
        + " port "
        + port;
  }
}
