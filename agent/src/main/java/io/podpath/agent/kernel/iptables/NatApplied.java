package io.podpath.agent.kernel.iptables;

import io.podpath.agent.kernel.IpAddr;

/** One address rewrite a rule made: kind DNAT, SNAT, MASQUERADE or REDIRECT. */
public record NatApplied(String kind, Rule rule, IpAddr from, int fromPort, IpAddr to, int toPort) {
  public boolean destination() {
    return kind.equals("DNAT") || kind.equals("REDIRECT");
  }

  @Override
  public String toString() {
    return kind
        + " "
        + from
        + ":"
        + fromPort
        + " -> "
        + to
        + ":"
        + toPort
        + " ("
        + rule.where()
        + ")";
  }
}
