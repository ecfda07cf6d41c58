package io.podpath.aggregator.e2e;

import static io.podpath.aggregator.e2e.MatrixScenario.Knob.none;
import static io.podpath.aggregator.e2e.MatrixScenario.row;

import io.podpath.testkit.ExecResult;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import java.util.List;

/**
 * Matrix rows whose destination is a node's own address (podpath's {@code node/nodeI}, the probe's
 * {@code nodeI}): the packet crosses the source node and the underlay and ends in the destination
 * node's kernel, whose INPUT path podpath traces; the reply comes from that node's own stack. ICMP
 * only: the sandbox's nodes run no TCP or UDP responder of their own.
 */
final class ToNodeRows {
  private ToNodeRows() {}

  static final String INPUT_RULE_COMMENT = "podpath-matrix-input-drop";

  static List<MatrixScenario> rows() {
    return rows(4);
  }

  /**
   * The rows in {@code family}: in IPv6 the destination is the node's IPv6 InternalIP (the trace's
   * and the probe's {@code --family 6}) and the INPUT drop is ip6tables' ICMPv6 rule.
   */
  static List<MatrixScenario> rows(int family) {
    String named =
        "dropped on node2 by " + (family == 6 ? "ip6tables" : "iptables") + " filter INPUT #1";
    return List.of(
        row("pod -> node on another node", none(), "default/client-1", "node2", Probe.icmp()),
        row("pod -> its own node", none(), "default/client-1", "node1", Probe.icmp()),
        row("node -> another node", none(), "node1", "node2", Probe.icmp()),
        row(
                "iptables DROP in INPUT of the destination node",
                inputDrop("node2", family),
                "default/client-1",
                "node2",
                Probe.icmp())
            .naming(named),
        row(
                "node -> node, DROP in INPUT of the destination node",
                inputDrop("node2", family),
                "node1",
                "node2",
                Probe.icmp())
            .naming(named));
  }

  /**
   * A rule first in {@code node}'s INPUT that drops ICMP of {@code family} (what the rows send):
   * iptables' {@code icmp} or ip6tables' {@code ipv6-icmp}.
   */
  static MatrixScenario.Knob inputDrop(String node, int family) {
    String tool = family == 6 ? "ip6tables" : "iptables";
    List<String> rule =
        List.of(
            "INPUT",
            "-p",
            family == 6 ? "ipv6-icmp" : "icmp",
            "-m",
            "comment",
            "--comment",
            INPUT_RULE_COMMENT,
            "-j",
            "DROP");
    return new MatrixScenario.Knob() {
      @Override
      public void apply(Sandbox sb) {
        iptables(sb, tool, node, "-I", rule.get(0), "1", rule.subList(1, rule.size()));
      }

      @Override
      public void reset(Sandbox sb) {
        iptables(sb, tool, node, "-D", rule.get(0), null, rule.subList(1, rule.size()));
      }
    };
  }

  private static void iptables(
      Sandbox sb, String tool, String node, String op, String chain, String at, List<String> spec) {
    List<String> argv = new java.util.ArrayList<>(List.of(tool, op, chain));
    if (at != null) {
      argv.add(at);
    }
    argv.addAll(spec);
    ExecResult r = sb.exec(node, argv.toArray(String[]::new));
    if (!r.ok()) {
      throw new IllegalStateException(tool + " " + argv + " on " + node + ": " + r.stderr());
    }
  }
}
