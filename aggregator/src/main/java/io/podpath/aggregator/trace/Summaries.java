package io.podpath.aggregator.trace;

import io.podpath.proto.v1.DropInfo;
import io.podpath.proto.v1.NetworkPolicyRef;
import java.util.List;
import java.util.Locale;
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

  static String dropped(Goal g, String node, Optional<DropInfo> drop) {
    return "podpath trace indicates failure from "
        + g.from()
        + " to "
        + g.to()
        + ": dropped on "
        + node
        + drop.map(Summaries::drop).orElse("");
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

  static String drop(DropInfo d) {
    StringBuilder sb = new StringBuilder(" in table ").append(d.getTable());
    if (!d.getReason().isEmpty()) {
      sb.append(" (").append(d.getReason()).append(')');
    }
    if (d.hasNetworkPolicy()) {
      sb.append(" by ").append(policy(d.getNetworkPolicy()));
    }
    return sb.toString();
  }

  static String policy(NetworkPolicyRef p) {
    String dir =
        switch (p.getDirection()) {
          case DIRECTION_INGRESS -> " (ingress)";
          case DIRECTION_EGRESS -> " (egress)";
          default -> "";
        };
    return "NetworkPolicy " + p.getNamespace() + "/" + p.getName() + dir;
  }

  /** "node1 -> node2" with each node named once, in order. */
  static String path(List<Hop> hops) {
    return String.join(" -> ", hops.stream().map(Hop::node).distinct().toList());
  }

  static String kind(Enum<?> kind) {
    return kind.name().replace("KIND_", "").toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
