package io.podpath.aggregator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Conntrack;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Probe;
import io.podpath.testkit.ProbeResult;
import io.podpath.testkit.Sandbox;
import java.util.ArrayList;
import java.util.List;

/**
 * The NodePort rows of {@link FamilyTraceMatrix}: the external host of the family to a NodePort on
 * each node's address of that family (the trace's {@code ip:EXT node/nodeI:PORT}, the probe's
 * {@code ext nodeI --family}), TCP and UDP, and the TCP NodePort removed on the node it enters at.
 * A row works when every endpoint's forward is DELIVERED and its reply LEFT_CLUSTER by that node.
 */
final class FamilyNodePorts {
  private FamilyNodePorts() {}

  private record Row(String name, String node, Probe probe, boolean removed) {}

  private static final List<Row> ROWS =
      List.of(
          new Row(
              "TCP NodePort from ext at node1", "node1", Probe.tcp(Sandbox.NODEPORT_TCP), false),
          new Row(
              "TCP NodePort from ext at node2", "node2", Probe.tcp(Sandbox.NODEPORT_TCP), false),
          new Row(
              "UDP NodePort from ext at node1", "node1", Probe.udp(Sandbox.NODEPORT_UDP), false),
          new Row("NodePort removed on node1", "node1", Probe.tcp(Sandbox.NODEPORT_TCP), true));

  /** The rows where podpath and real packets of {@code family} disagree (empty: all agree). */
  static List<String> disagreements(Sandbox sb, int family) throws Exception {
    List<String> wrong = new ArrayList<>();
    sb.nodePort(true);
    try (SandboxAggregator agg = SandboxAggregator.start(sb)) {
      for (Row r : ROWS) {
        if (r.removed()) {
          sb.breakFault(Fault.NODEPORT_REMOVED, r.node());
        }
        try {
          String why = disagreement(sb, agg, family, r);
          if (why != null) {
            wrong.add(r.name() + ": " + why);
          }
        } finally {
          if (r.removed()) {
            sb.fix(Fault.NODEPORT_REMOVED, r.node());
          }
          Conntrack.flush(sb);
        }
      }
    } finally {
      sb.nodePort(false);
      sb.reload();
    }
    return wrong;
  }

  private static String disagreement(Sandbox sb, SandboxAggregator agg, int family, Row r)
      throws Exception {
    String ext = "ip:" + sb.externalIp(family);
    String dst = "node/" + r.node() + ":" + r.probe().port();
    List<String> args = new ArrayList<>(List.of("--aggregator", agg.address(), "trace", ext, dst));
    args.addAll(List.of(TraceMatrix.opts(r.probe())));
    String[] base = args.toArray(String[]::new);
    MatrixCli.Run json = MatrixCli.cli(MatrixCli.concat(base, "-o", "json"));
    MatrixCli.Run text = MatrixCli.cli(base);
    String shown = text.out() + text.err();
    if (json.exit() != 0 && json.exit() != 1) {
      return "podpath trace failed (exit " + json.exit() + "): " + json.err() + shown;
    }
    JsonNode eps = MatrixCli.JSON.readTree(json.out()).path("endpoints");
    String nodeIp =
        sb.node(r.node()).ips().stream()
            .filter(a -> a.contains(":") == (family == 6))
            .findFirst()
            .orElseThrow();
    boolean works = eps.size() > 0;
    for (JsonNode e : eps) {
      if (!e.path("forward").path("packet").path("dstIp").asText().equals(nodeIp)) {
        return "the trace was not sent to " + r.node() + "'s IPv" + family + " address:\n" + shown;
      }
      works &=
          e.path("forward").path("verdict").asText().equals("DELIVERED")
              && e.path("reply").path("verdict").asText().equals("LEFT_CLUSTER")
              && e.path("reply").path("leftVia").asText().startsWith(r.node() + " ");
    }
    ProbeResult real = sb.probe("ext", r.node(), r.probe().inFamily(family));
    String differs = OutsideRows.differs(works, real, shown);
    if (differs != null) {
      return differs;
    }
    if (r.removed() && works) {
      return "the removed NodePort still works\n" + shown;
    }
    return null;
  }
}
