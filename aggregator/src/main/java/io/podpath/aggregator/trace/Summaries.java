package io.podpath.aggregator.trace;

import io.podpath.aggregator.model.Outcome;
import java.util.List;
import java.util.Optional;

/** ovnkube-trace-style one-liners, one per direction. */
final class Summaries {
  private Summaries() {}

  static String delivered(Goal g, List<Hop> hops) {
    return "podpath trace indicates success from "
        + g.from()
        + " to "
        + g.to()
        + " via "
        + path(hops);
  }

  static String insidePod(Goal g, String node) {
    return "podpath trace indicates success from "
        + g.from()
        + " to "
        + g.to()
        + " inside the pod's own network stack on "
        + node;
  }

  static String dropped(Goal g, String node, Optional<Outcome.Drop> drop) {
    String head = "podpath trace indicates failure from " + g.from() + " to " + g.to();
    String cause = drop.map(Summaries::drop).orElse("");
    // A node kernel's cause already says where ("dropped on node2 by iptables ..."): say it once.
    return cause.startsWith(": dropped on " + node + " ")
        ? head + cause
        : head + ": dropped on " + node + cause;
  }

  static String left(Goal g, String via) {
    return "podpath trace indicates that the packet from "
        + g.from()
        + " to "
        + g.to()
        + " leaves the cluster on "
        + via;
  }

  static String inconclusive(Goal g, String reason) {
    return "podpath trace is inconclusive from " + g.from() + " to " + g.to() + ": " + reason;
  }

  static String drop(Outcome.Drop d) {
    if (d.table() < 0 || !d.causeCode().isEmpty()) {
      // Dropped by the node's kernel or a size/link check, not by a flow: the cause names itself.
      return ": " + d.reason();
    }
    StringBuilder sb = new StringBuilder(" in table ").append(d.table());
    if (!d.reason().isEmpty()) {
      sb.append(" (").append(d.reason()).append(')');
    }
    d.policy().ifPresent(p -> sb.append(" by ").append(policy(p)));
    return sb.toString();
  }

  static String policy(Outcome.Policy p) {
    String dir = p.direction().isEmpty() ? "" : " (" + p.direction() + ")";
    return "NetworkPolicy " + p.namespace() + "/" + p.name() + dir;
  }

  /** "node1 -> node2" with each node named once, in order. */
  static String path(List<Hop> hops) {
    return String.join(" -> ", hops.stream().map(Hop::node).distinct().toList());
  }
}
