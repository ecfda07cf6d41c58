package io.podpath.aggregator.sweep;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The check ids a sweep accepts: the agents' node checks and the aggregator's cluster checks. */
public final class CheckIds {
  /** Must match io.podpath.agent.checks.Checks#standard (the agent rejects others). */
  public static final List<String> NODE =
      List.of(
          "ip-forward",
          "conntrack",
          "mtu",
          "ovs",
          "tunnels",
          "pod-plumbing",
          "routes",
          "service-programming",
          "nic",
          "dns");

  private CheckIds() {}

  public static Set<String> all() {
    Set<String> s = new TreeSet<>(NODE);
    s.addAll(ClusterChecks.IDS);
    return s;
  }
}
