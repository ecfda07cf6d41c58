package io.podpath.agent.kernel.iptables;

import java.util.List;
import java.util.Optional;

/** A chain of one table: built-in chains have a policy (ACCEPT or DROP), user chains none. */
public record Chain(String name, Optional<String> policy, List<Rule> rules) {
  public Chain {
    rules = List.copyOf(rules);
  }

  public boolean builtin() {
    return policy.isPresent();
  }
}
