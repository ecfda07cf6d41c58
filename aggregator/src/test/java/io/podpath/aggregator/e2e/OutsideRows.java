package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Conntrack;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Probe;
import io.podpath.testkit.ProbeResult;
import io.podpath.testkit.Sandbox;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The matrix rows whose exchange starts or ends outside the cluster (ext): ext entering at a node
 * and the reply from ext, against real packets. A test interface of {@link TraceMatrix}, so they
 * run on each mode's sandbox with the rest of the matrix.
 */
interface OutsideRows {
  Sandbox sandbox();

  TraceMatrix.Traced trace(String src, String dst, String... opts) throws Exception;

  void agree(String scenario, boolean podpathDelivered, ProbeResult real, TraceMatrix.Traced t);

  /**
   * The rows of {@link MatrixScenarios#fromOutside}: ext entering at a node, against {@code probe
   * ext ...}. NodePorts are on for the whole run, with an aggregator of its own that reads the
   * manifest written then (where the Service is type NodePort).
   */
  @Test
  default void outsideSourceRowsAgreeWithRealPackets() throws Exception {
    sandbox().nodePort(true);
    sandbox().ingress(true);
    List<String> wrong = new ArrayList<>();
    try (SandboxAggregator withNodePorts = SandboxAggregator.start(sandbox())) {
      for (MatrixScenario s : MatrixScenarios.fromOutside()) {
        if (!s.modes().contains(sandbox().mode())) {
          continue;
        }
        try {
          s.knob().apply(sandbox());
          try {
            String why = outsideDisagreement(withNodePorts, s);
            if (why != null) {
              wrong.add(s.name() + ": " + why);
            }
          } finally {
            s.knob().reset(sandbox());
            Conntrack.flush(sandbox());
          }
        } catch (RuntimeException e) {
          wrong.add(s.name() + ": could not run: " + e);
        }
      }
    } finally {
      sandbox().ingress(false);
      sandbox().nodePort(false);
      sandbox().reload();
    }
    assertThat(wrong).as("outside-source rows where podpath and real packets disagree").isEmpty();
  }

  /** Null when podpath agrees with {@code probe ext ...} (and names the cause of a failure). */
  private String outsideDisagreement(SandboxAggregator agg, MatrixScenario s) throws Exception {
    boolean nodePort = s.dst().matches("node\\d+");
    // a Service's external address: traced entering at every node, without --ingress-node; the
    // endpoints entering at the node ext routes it to are the ones the probe checks
    boolean external = s.dst().startsWith("ingress-address/");
    String probeDst =
        external
            ? sandbox().ingressAddresses().get(Integer.parseInt(s.dst().substring(16)))
            : s.dst();
    String dst =
        nodePort
            ? "node/" + s.dst() + ":" + s.probe().port()
            : external ? "ip:" + probeDst : s.dst();
    List<String> args =
        new ArrayList<>(
            List.of("--aggregator", agg.address(), "trace", "ip:" + sandbox().externalIp(), dst));
    args.addAll(s.traceOpts());
    if (s.probe().via() != null && !external) {
      args.addAll(List.of("--ingress-node", s.probe().via()));
    }
    String[] base = args.toArray(String[]::new);
    MatrixCli.Run json = MatrixCli.cli(MatrixCli.concat(base, "-o", "json"));
    MatrixCli.Run text = MatrixCli.cli(base);
    if (json.exit() != 0 && json.exit() != 1) {
      return "podpath trace failed (exit " + json.exit() + "): " + json.err() + text.out();
    }
    JsonNode eps = MatrixCli.JSON.readTree(json.out()).path("endpoints");
    String ingress = s.probe().via() != null ? s.probe().via() : s.dst();
    int entering = 0;
    boolean works = true;
    for (JsonNode e : eps) {
      if (external && !e.path("endpoint").asText().startsWith("at " + ingress + ": ")) {
        continue;
      }
      entering++;
      works &=
          e.path("forward").path("verdict").asText().equals("DELIVERED")
              && e.path("reply").path("verdict").asText().equals("LEFT_CLUSTER")
              && e.path("reply").path("leftVia").asText().startsWith(ingress + " ");
    }
    works &= entering > 0;
    if (external && entering == eps.size()) {
      return "an external address was traced entering at " + ingress + " only:\n" + text.out();
    }
    ProbeResult real = sandbox().probe("ext", probeDst, s.probe());
    String shown = text.out() + text.err();
    if (works && s.name().startsWith("externalTrafficPolicy Local")) {
      // no SNAT on the way in: the pod answers the client itself
      JsonNode reply = eps.path(0).path("reply").path("packet");
      if (!reply.path("dstIp").asText().equals(sandbox().externalIp())) {
        return "the client's address was not kept: the reply goes to " + reply + "\n" + shown;
      }
    }
    String differs = differs(works, real, shown);
    if (differs != null) {
      return differs;
    }
    if (!works && s.named().isPresent() && !shown.contains(s.named().get())) {
      return "the failure is not named '" + s.named().get() + "':\n" + shown;
    }
    return null;
  }

  /** Null when podpath's {@code works} is what real packets show; else the row's disagreement. */
  static String differs(boolean works, ProbeResult real, String shown) {
    if (works == real.delivered()) {
      return null;
    }
    return String.format(
        "podpath %s, real packets %s (%s)%n%s",
        works ? "works" : "fails", real.delivered() ? "delivered" : "failed", real.reason(), shown);
  }

  /**
   * The reply of a pod → ext exchange, traced back from the node the forward left by (the probe's
   * "delivered" needs that reply): healthy, and with FORWARD on node1 dropping what goes to the pod
   * ({@code break fw-drop node1 --dst POD}), which cuts the reply alone.
   */
  @Test
  default void replyFromExtAgreesWithRealPackets() throws Exception {
    String pod = "default/client-1";
    for (boolean cut : List.of(false, true)) {
      if (cut) {
        sandbox().breakFault(Fault.FW_DROP, "node1", sandbox().pod(pod).ip());
      }
      try {
        for (Probe p : List.of(Probe.tcp(80), Probe.icmp())) {
          TraceMatrix.Traced t = trace(pod, "ip:" + sandbox().externalIp(), TraceMatrix.opts(p));
          ProbeResult real = sandbox().probe(pod, "ext", p);
          boolean works = t.forward().equals("LEFT_CLUSTER") && t.reply().equals("DELIVERED");
          agree(
              "client-1 -> ext " + p.protocol() + " and its reply" + (cut ? " (cut)" : ""),
              works,
              real,
              t);
          if (cut) {
            assertThat(t.first().path("reply").path("summary").asText())
                .as(t.text())
                .contains("DROP");
          } else {
            // routed out by node1's kernel, through its uplink bridge: a success
            assertThat(t.exit()).as(t.text()).isZero();
          }
        }
      } finally {
        if (cut) {
          sandbox().fix(Fault.FW_DROP, "node1", sandbox().pod(pod).ip());
        }
      }
    }
  }
}
