package io.podpath.agent.kernel.iptables;

/**
 * A rule the packet met whose matches held (or could not be evaluated: {@code note} says so and
 * which way podpath followed), or a chain policy that decided ({@code rule.number() == 0}).
 */
public record RuleHit(Rule rule, String note) {
  @Override
  public String toString() {
    return rule.where() + " " + rule.text() + (note.isEmpty() ? "" : " (" + note + ")");
  }
}
