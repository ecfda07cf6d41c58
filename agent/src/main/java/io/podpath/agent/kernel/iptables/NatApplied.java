package io.podpath.agent.kernel.iptables;

import io.podpath.agent.kernel.IpAddr;

/** One address rewrite a rule made: kind DNAT, SNAT, MASQUERADE or REDIRECT. */
public record NatApplied(String kind, Rule rule, IpAddr from, int fromPort, IpAddr to, int toPort) {
  public boolean destination() {
    return kind.equals("DNAT") || kind.equals("REDIRECT");
  }

  /**
   * "DNAT 10.96.0.10:80 -> 10.244.2.3:8080 (where)"; an IPv6 address is bracketed before its port.
   */
  @Override
  public String toString() {
    return kind
        + " "
        + hostPort(from, fromPort)
        + " -> "
        + hostPort(to, toPort)
        + " ("
        + rule.where()
        + ")";
  }

  private static String hostPort(IpAddr a, int port) {
    return (a.v6() ? "[" + a + "]" : a.toString()) + ":" + port;
  }
}
