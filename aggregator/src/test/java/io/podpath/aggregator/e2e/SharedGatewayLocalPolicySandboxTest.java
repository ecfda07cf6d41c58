package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Conntrack;
import io.podpath.testkit.ExecResult;
import io.podpath.testkit.Probe;
import io.podpath.testkit.ProbeResult;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * svc default/web-local (externalTrafficPolicy Local, NodePort 30081, its one endpoint web-1 on
 * node1) on OVN-Kubernetes' shared gateway, as {@code hack/sandbox ingress on} programs it there:
 * GR_node1 has a {@code skip_snat} load balancer holding only web-1, GR_node2 one holding the VIP
 * without a backend ({@code options:reject}). From ext, each node's trace against real packets: the
 * verdict, and at node1 the source address web-1 sees. Shares SharedGatewaySandboxTest's sandbox.
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SandboxConfig(nodes = 2, sharedGateway = true)
class SharedGatewayLocalPolicySandboxTest {
  private static final int NODEPORT = 30081;
  private static final String ENDPOINT = "default/web-1";
  private static final Pattern NW_SRC = Pattern.compile("(?:^|,)nw_src=([0-9.]+)");

  private Sandbox sb;
  private SandboxAggregator aggregator;

  @BeforeAll
  void start(Sandbox sandbox) {
    sb = sandbox;
    sb.ingress(true);
    aggregator = SandboxAggregator.start(sandbox);
  }

  @AfterAll
  void stop() {
    try {
      if (aggregator != null) {
        aggregator.close();
      }
    } finally {
      if (sb != null) {
        sb.ingress(false);
      }
    }
  }

  private TraceMatrix.Traced trace(String node) throws Exception {
    String[] base = {
      "--aggregator",
      aggregator.address(),
      "trace",
      "ip:" + sb.externalIp(),
      "node/" + node + ":" + NODEPORT,
      "--tcp"
    };
    MatrixCli.Run json = MatrixCli.cli(MatrixCli.concat(base, "-o", "json"));
    MatrixCli.Run text = MatrixCli.cli(base);
    assertThat(json.exit()).as("podpath trace to %s: %s", node, json.err()).isIn(0, 1);
    return new TraceMatrix.Traced(
        json.exit(), MatrixCli.JSON.readTree(json.out()), text.out() + text.err());
  }

  /** The peers of web-1's TCP port 80 connections its kernel keeps in TIME-WAIT. */
  private Set<String> peersOfEndpoint() {
    ExecResult r = sb.exec(ENDPOINT, "ss", "-Htn", "state", "time-wait", "( sport = :80 )");
    assertThat(r.ok()).as("ss in %s: %s", ENDPOINT, r.stderr()).isTrue();
    Set<String> out = new LinkedHashSet<>();
    for (String line : r.stdout().split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4) {
        out.add(f[f.length - 1].replaceFirst(":\\d+$", ""));
      }
    }
    return out;
  }

  /**
   * The source address of the forward packet as the trace delivers it to the pod: the last node's
   * final flow (after the load balancer's continuation and every NAT on the way).
   */
  private static String tracedSourceAtPod(JsonNode forward) {
    JsonNode hops = forward.path("nodes");
    Matcher m = NW_SRC.matcher(hops.path(hops.size() - 1).path("finalFlow").asText());
    return m.find() ? m.group(1) : "";
  }

  /**
   * node1 holds the endpoint: real packets reach web-1 from ext's own address (GR skips its
   * force-SNAT for this load balancer), and the trace is DELIVERED to web-1 with that source, its
   * reply leaving by node1. node2 has none: GR_node2 rejects the SYN (a TCP reset, real packets are
   * refused), and the trace is not delivered, naming the policy and the load balancer.
   */
  @Test
  void nodePortAgreesWithRealPacketsOnEachNode() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (String node : List.of("node1", "node2")) {
      Set<String> before = peersOfEndpoint();
      ProbeResult real = sb.probe("ext", node, Probe.tcp(NODEPORT));
      Set<String> seen = peersOfEndpoint();
      seen.removeAll(before);
      TraceMatrix.Traced t = trace(node);
      String row = "ext -> node/" + node + ":" + NODEPORT + " (real: " + real.reason() + ")";
      JsonNode eps = t.json().path("endpoints");
      boolean local = node.equals("node1");
      if (eps.size() != 1) {
        wrong.add(row + ": not one trace\n" + t.text());
        continue;
      }
      JsonNode fwd = eps.get(0).path("forward");
      String verdict = fwd.path("verdict").asText();
      if (verdict.equals("DELIVERED") != real.delivered()) {
        wrong.add(
            row
                + ": forward "
                + verdict
                + ", real delivered "
                + real.delivered()
                + "\n"
                + t.text());
      }
      if (local) {
        if (!real.reply().equals("podpath " + ENDPOINT)) {
          wrong.add(row + ": answered by " + real.reply());
        }
        if (!seen.equals(Set.of(sb.externalIp()))) {
          wrong.add(row + ": web-1 saw the connection from " + seen + ", not ext's address");
        }
        String traced = tracedSourceAtPod(fwd);
        if (!seen.contains(traced)) {
          wrong.add(
              row + ": traced source at the pod " + traced + ", real " + seen + "\n" + t.text());
        }
        JsonNode reply = eps.get(0).path("reply");
        if (!reply.path("verdict").asText().equals("LEFT_CLUSTER")
            || !reply.path("leftVia").asText().startsWith(node + " ")) {
          wrong.add(row + ": reply " + reply.path("verdict").asText() + "\n" + t.text());
        }
        if (t.exit() != 0) {
          wrong.add(row + ": exit " + t.exit());
        }
      } else {
        if (!verdict.equals("DROPPED")
            || !t.text().contains("externalTrafficPolicy Local: no local endpoint on node2")
            || !t.text().contains("rejected by OVN load balancer")
            || !t.text().contains("has no backend")) {
          wrong.add(row + ": the drop does not name the policy and the load balancer\n" + t.text());
        }
        if (t.exit() != 1) {
          wrong.add(row + ": exit " + t.exit());
        }
      }
      Conntrack.flush(sb);
    }
    assertThat(wrong)
        .as("eTP Local NodePort rows where podpath and real packets disagree")
        .isEmpty();
  }
}
