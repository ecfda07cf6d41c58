package io.podpath.agent.kernel.iptables;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * A netfilter hook and the tables registered on it, in priority order (raw -300, mangle -150, nat
 * DNAT -100, filter 0, security 50, nat SNAT 100).
 */
public enum Hook {
  PREROUTING(List.of("raw", "mangle", "nat")),
  INPUT(List.of("mangle", "filter", "security", "nat")),
  FORWARD(List.of("mangle", "filter", "security")),
  OUTPUT(List.of("raw", "mangle", "nat", "filter", "security")),
  POSTROUTING(List.of("mangle", "nat"));

  private final ImmutableList<String> tables;

  Hook(List<String> tables) {
    this.tables = ImmutableList.copyOf(tables);
  }

  public List<String> tables() {
    return tables;
  }

  /** Whether routing has chosen the output interface before this hook runs. */
  public boolean afterRouting() {
    return this != PREROUTING;
  }
}
