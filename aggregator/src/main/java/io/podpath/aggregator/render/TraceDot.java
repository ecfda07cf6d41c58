package io.podpath.aggregator.render;

import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * A Graphviz picture of the path: one row (cluster) per endpoint and direction, nodes as boxes, the
 * path running left to right. Every row's start shares one rank, chained top to bottom in order by
 * invisible edges, so the forward path sits above its reply and a Service's endpoints stack one
 * under the other instead of spreading sideways.
 */
final class TraceDot {
  private TraceDot() {}

  static String render(TraceResult r) {
    StringBuilder sb = new StringBuilder("digraph podpath {\n");
    sb.append(
        "  rankdir=LR;\n  newrank=true;\n  node [shape=box, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
    sb.append("  label=").append(q(r.getSource() + " -> " + r.getDestination())).append(";\n");
    List<String> rows = new ArrayList<>();
    int i = 0;
    for (EndpointTrace e : r.getEndpointsList()) {
      rows.add(cluster(sb, "e" + i + "f", "forward to " + e.getEndpoint(), e.getForward()));
      if (e.hasReply()) {
        rows.add(cluster(sb, "e" + i + "r", "reply from " + e.getEndpoint(), e.getReply()));
      }
      i++;
    }
    if (rows.size() > 1) {
      // A flat edge within a rank orders tail before head: top to bottom under rankdir=LR.
      sb.append("  { rank=same; ").append(String.join(" -> ", rows)).append(" [style=invis]; }\n");
    }
    return sb.append("}\n").toString();
  }

  /** Writes one row and returns its first node's id. */
  private static String cluster(StringBuilder sb, String id, String title, DirectionTrace d) {
    sb.append("  subgraph cluster_").append(id).append(" {\n");
    sb.append("    label=").append(q(title + ": " + TraceJson.verdict(d))).append(";\n");
    String first = id + "_src";
    String prev = first;
    sb.append("    ")
        .append(prev)
        .append(" [shape=ellipse, label=")
        .append(q(d.getPacket().getSrcIp()))
        .append("];\n");
    String edge = Describe.packet(d.getPacket());
    int n = 0;
    for (NodeObservation o : d.getNodesList()) {
      String cur = id + "_n" + n++;
      sb.append("    ").append(cur).append(" [label=").append(q(label(o))).append("];\n");
      sb.append("    ")
          .append(prev)
          .append(" -> ")
          .append(cur)
          .append(" [label=")
          .append(q(edge))
          .append("];\n");
      prev = cur;
      TraceOutcome out = o.getTrace().getOutcome();
      edge = out.hasTunnel() ? Describe.tunnel(out.getTunnel()) : "";
    }
    String end = id + "_end";
    String color =
        d.getVerdict() == Verdict.VERDICT_DELIVERED
            ? "green"
            : d.getVerdict() == Verdict.VERDICT_DROPPED ? "red" : "orange";
    String what =
        switch (d.getVerdict()) {
          case VERDICT_DELIVERED -> "delivered";
          case VERDICT_DROPPED -> "dropped on " + d.getDroppedNode();
          case VERDICT_LEFT_CLUSTER -> "left the cluster: " + d.getLeftVia();
          default -> "inconclusive: " + d.getReason();
        };
    sb.append("    ")
        .append(end)
        .append(" [shape=ellipse, color=")
        .append(color)
        .append(", label=")
        .append(q(what))
        .append("];\n");
    sb.append("    ").append(prev).append(" -> ").append(end).append(";\n");
    sb.append("  }\n");
    return first;
  }

  static String q(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /** The node, its outcome, and the facts beyond OVS that decided it (a size over, the kernel). */
  private static String label(NodeObservation o) {
    List<String> parts = new ArrayList<>();
    parts.add(o.getNode());
    parts.add(Describe.outcome(o.getTrace().getOutcome()));
    parts.addAll(HopFacts.brief(o.getTrace()));
    return String.join("\n", parts);
  }
}
