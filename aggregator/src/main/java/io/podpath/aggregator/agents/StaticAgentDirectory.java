package io.podpath.aggregator.agents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Agents given on the command line ({@code --agent NODE=HOST:PORT}, repeatable). */
public final class StaticAgentDirectory implements AgentDirectory {
  private final Map<String, AgentAddress> byNode = new LinkedHashMap<>();

  public StaticAgentDirectory(List<AgentAddress> agents) {
    for (AgentAddress a : agents) {
      if (byNode.putIfAbsent(a.node(), a) != null) {
        throw new IllegalArgumentException("node " + a.node() + " is given more than one agent");
      }
    }
  }

  public static StaticAgentDirectory parse(List<String> specs) {
    List<AgentAddress> out = new ArrayList<>();
    for (String s : specs) {
      out.add(AgentAddress.parse(s));
    }
    return new StaticAgentDirectory(out);
  }

  @Override
  public Optional<AgentAddress> lookup(String node) {
    return Optional.ofNullable(byNode.get(node));
  }

  @Override
  public List<AgentAddress> all() {
    return List.copyOf(byNode.values());
  }

  @Override
  public String description() {
    return "static (" + byNode.size() + " agents)";
  }
}
