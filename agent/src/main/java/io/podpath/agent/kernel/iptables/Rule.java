package io.podpath.agent.kernel.iptables;

import java.util.List;

/**
 * One rule: where it is ({@code number} counts from 1 within its chain, as {@code iptables -L
 * --line-numbers} does), its text as iptables-save printed it, its matches (all must hold) and its
 * target ({@link Target.None} for a rule that only counts).
 */
public record Rule(
    String table, String chain, int number, String text, List<Match> matches, Target target) {
  public Rule {
    matches = List.copyOf(matches);
  }

  /** {@code filter FORWARD #2 "-A FORWARD -d 1.2.3.4/32 -j DROP"}. */
  public String where() {
    return table + " " + chain + " #" + number;
  }
}
