package io.podpath.agent.kernel.iptables;

import java.util.Map;
import java.util.Optional;

/** Everything {@code iptables-save} printed: table name → chain name → chain. */
public record Ruleset(Map<String, Map<String, Chain>> tables) {
  public static final Ruleset EMPTY = new Ruleset(Map.of());

  public Ruleset {
    tables = Map.copyOf(tables);
  }

  public Optional<Chain> chain(String table, String chain) {
    Map<String, Chain> t = tables.get(table);
    return t == null ? Optional.empty() : Optional.ofNullable(t.get(chain));
  }

  public int ruleCount() {
    return tables.values().stream()
        .flatMap(t -> t.values().stream())
        .mapToInt(c -> c.rules().size())
        .sum();
  }
}
