package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Conntrack;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Probe;
import io.podpath.testkit.ProbeResult;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The proof: podpath's verdicts, both directions, against real packets ({@code hack/sandbox probe})
 * on the same endpoints. The aggregator runs in this JVM (this build's code) with the sandbox's
 * manifest, and talks mTLS to the sandbox's real agents; traces go through the CLI.
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TraceMatrix implements OutsideRows {
  private static final ObjectMapper JSON = MatrixCli.JSON;

  Sandbox sb;
  private SandboxAggregator aggregator;
  private final List<String> disagreements = new ArrayList<>();

  @BeforeAll
  void startAggregator(Sandbox sandbox) {
    sb = sandbox;
    aggregator = SandboxAggregator.start(sandbox);
  }

  @Override
  public Sandbox sandbox() {
    return sb;
  }

  @AfterAll
  void stopAggregator() {
    if (aggregator != null) {
      aggregator.close();
    }
  }

  /** One podpath trace through the CLI: exit code, JSON document and the text form for messages. */
  record Traced(int exit, JsonNode json, String text) {
    /** The first (for a pod or IP destination, the only) endpoint of the trace document. */
    JsonNode first() {
      return json.path("endpoints").path(0);
    }

    String forward() {
      return first().path("forward").path("verdict").asText();
    }

    String reply() {
      return first().path("reply").path("verdict").asText();
    }
  }

  @Override
  public Traced trace(String src, String dst, String... opts) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("--aggregator", aggregator.address(), "trace", src, dst));
    args.addAll(List.of(opts));
    String[] base = args.toArray(String[]::new);
    MatrixCli.Run json = MatrixCli.cli(MatrixCli.concat(base, "-o", "json"));
    MatrixCli.Run text = MatrixCli.cli(base);
    assertThat(json.exit()).as("podpath trace %s %s: %s", src, dst, json.err()).isIn(0, 1);
    return new Traced(json.exit(), JSON.readTree(json.out()), text.out() + text.err());
  }

  static String[] opts(Probe p) {
    return switch (p.protocol()) {
      case TCP -> new String[] {"--tcp", "--dst-port", Integer.toString(p.port())};
      case UDP -> new String[] {"--udp", "--dst-port", Integer.toString(p.port())};
      case SCTP -> new String[] {"--sctp", "--dst-port", Integer.toString(p.port())};
      case ICMP -> new String[] {"--icmp"};
    };
  }

  /** podpath to a pod: delivered both ways exactly when the real exchange works. */
  Traced podToPod(String src, String dst, Probe probe) throws Exception {
    Traced t = trace(src, dst, opts(probe));
    ProbeResult real = sb.probe(src, dst, probe);
    boolean podpath = t.forward().equals("DELIVERED") && t.reply().equals("DELIVERED");
    agree(src + " -> " + dst + " " + probe.protocol(), podpath, real, t);
    assertThat(t.exit()).isEqualTo(t.forward().equals("DELIVERED") ? 0 : 1);
    return t;
  }

  @Override
  public void agree(String scenario, boolean podpathDelivered, ProbeResult real, Traced t) {
    if (podpathDelivered != real.delivered()) {
      disagreements.add(scenario);
    }
    assertThat(podpathDelivered)
        .as(
            "%s: podpath says %s/%s, the real probe says %s (%s)%n%s",
            scenario,
            t.forward(),
            t.reply(),
            real.delivered() ? "delivered" : "failed",
            real.reason(),
            t.text())
        .isEqualTo(real.delivered());
  }

  @Test
  void sameNode() throws Exception {
    for (Probe p : List.of(Probe.tcp(80), Probe.udp(53), Probe.icmp())) {
      Traced t = podToPod("default/client-1", "default/web-1", p);
      assertThat(t.first().path("forward").path("nodes"))
          .as("the forward path's nodes: %s", t.text())
          .isNotEmpty()
          .allSatisfy(n -> assertThat(n.path("node").asText()).isEqualTo("node1"));
    }
  }

  @Test
  void crossNodeIsStitchedThroughTheTunnel() throws Exception {
    for (Probe p : List.of(Probe.tcp(80), Probe.udp(53), Probe.icmp())) {
      Traced t = podToPod("default/client-1", "default/web-2", p);
      assertStitched(t.first().path("forward"), "node1", "node2");
      assertStitched(t.first().path("reply"), "node2", "node1");
    }
  }

  void assertStitched(JsonNode direction, String from, String to) {
    JsonNode nodes = direction.path("nodes");
    assertThat(nodes.size()).as(direction.toString()).isGreaterThanOrEqualTo(2);
    assertThat(nodes.get(0).path("node").asText()).isEqualTo(from);
    assertThat(nodes.get(nodes.size() - 1).path("node").asText()).isEqualTo(to);
    JsonNode tunnel = nodes.get(nodes.size() - 2).path("outcome").path("tunnel");
    assertThat(tunnel.path("remoteIp").asText()).isEqualTo(sb.nodeIp(to));
    assertThat(tunnel.has("vni")).isTrue();
  }

  /**
   * False where a Service VIP is DNATed outside OVS (kube-proxy style), which podpath cannot see.
   */
  abstract boolean servicesInsideOvs();

  @Test
  void serviceEveryEndpoint() throws Exception {
    for (Probe p : List.of(Probe.tcp(80), Probe.udp(53))) {
      Traced t = trace("default/client-1", "svc/default/web", opts(p));
      JsonNode eps = t.json().path("endpoints");
      assertThat(eps.size()).as(t.text()).isEqualTo(sb.nodes().size());
      if (!servicesInsideOvs()) {
        // The VIP leaves OVS for the node's iptables, whose kube-proxy rule picks a backend at
        // random: podpath follows the way to each endpoint and says so.
        for (JsonNode e : eps) {
          assertThat(e.path("forward").path("notes").toString())
              .as(t.text())
              .contains("picks the endpoint of svc/default/web");
        }
      }
      boolean all = true;
      for (JsonNode e : eps) {
        // The same endpoint reached directly: what the load balancer hands the packet to.
        ProbeResult real = sb.probe("default/client-1", e.path("pod").asText(), p);
        boolean delivered =
            e.path("forward").path("verdict").asText().equals("DELIVERED")
                && e.path("reply").path("verdict").asText().equals("DELIVERED");
        all &= delivered;
        agree(
            "svc/default/web -> " + e.path("endpoint").asText() + " " + p.protocol(),
            delivered,
            real,
            new Traced(t.exit(), e, t.text()));
      }
      if (all) {
        assertThat(sb.probe("default/client-1", "svc/default/web", p).delivered())
            .as("through the VIP")
            .isTrue();
      }
    }
  }

  /**
   * A Service endpoint whose eth0 is down: real packets to it die (and half the requests to the VIP
   * with them), so its endpoint must not be DELIVERED; the others still are.
   */
  @Test
  void serviceEndpointWithEth0DownIsNotDelivered() throws Exception {
    Probe p = Probe.tcp(80);
    sb.breakFault(Fault.ETH0_DOWN, "node2");
    try {
      Traced t = trace("default/client-1", "svc/default/web", opts(p));
      JsonNode web2 = null;
      for (JsonNode e : t.json().path("endpoints")) {
        if (e.path("pod").asText().equals("default/web-2")) {
          web2 = e;
        }
      }
      assertThat(web2).as(t.text()).isNotNull();
      assertThat(sb.probe("default/client-1", "default/web-2", p).delivered()).isFalse();
      assertThat(web2.path("forward").path("verdict").asText())
          .as(t.text())
          .isNotEqualTo("DELIVERED");
      if (servicesInsideOvs()) {
        assertThat(web2.path("forward").path("verdict").asText()).as(t.text()).isEqualTo("DROPPED");
        assertThat(web2.path("forward").path("summary").asText())
            .as(t.text())
            .contains("web-2 on node2: its eth0 is DOWN");
      }
    } finally {
      sb.fix(Fault.ETH0_DOWN, "node2");
    }
  }

  @Test
  void externalHostLeavesTheCluster() throws Exception {
    for (Probe p : List.of(Probe.tcp(80), Probe.icmp())) {
      Traced t = trace("default/client-1", "ip:" + sb.externalIp(), opts(p));
      ProbeResult real = sb.probe("default/client-1", "ext", p);
      agree("client-1 -> external " + p.protocol(), t.forward().equals("LEFT_CLUSTER"), real, t);
      assertThat(t.first().path("forward").path("leftVia").asText()).startsWith("node1 via port");
    }
  }

  /**
   * Every row of {@link MatrixScenarios} for this sandbox's mode: podpath and the real probe must
   * agree on whether the exchange works, and a failure must be named. All rows run (each knob is
   * reset even when its row fails) and the test fails listing every disagreement.
   */
  @Test
  void scenarioTableAgreesWithRealPackets() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (MatrixScenario s : MatrixScenarios.forMode(sb.mode())) {
      try {
        s.warmUp().ifPresent(w -> sb.probe(s.src(), s.dst(), w));
        s.knob().apply(sb);
        try {
          String why = disagreement(s);
          if (why != null) {
            wrong.add(s.name() + ": " + why);
          }
        } finally {
          s.knob().reset(sb);
          Conntrack.flush(sb); // no NAT leftovers for the next row
        }
      } catch (RuntimeException e) {
        wrong.add(s.name() + ": could not run: " + e);
      }
    }
    assertThat(wrong).as("scenarios where podpath and real packets disagree").isEmpty();
  }

  /**
   * The same rows with {@code --live}: ONE real packet with the row's 5-tuple, observed at every
   * capture point both ways; the exchange's live outcome is REPLIED exactly when {@code
   * hack/sandbox probe} gets its answer.
   */
  @Test
  void scenarioTableLiveOutcomeEqualsRealPackets() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (MatrixScenario s : MatrixScenarios.forMode(sb.mode())) {
      try {
        s.warmUp().ifPresent(w -> sb.probe(s.src(), s.dst(), w));
        s.knob().apply(sb);
        try {
          List<String> args =
              new ArrayList<>(
                  List.of(
                      "--aggregator",
                      aggregator.address(),
                      "trace",
                      s.traceSrc(),
                      s.traceDst(sb),
                      "--live",
                      "--live-timeout",
                      "1s",
                      "-o",
                      "json"));
          args.addAll(s.traceOpts());
          if (s.dst().equals("ext")) {
            args.add("--allow-external"); // the aggregator refuses an outside address otherwise
          }
          MatrixCli.Run run = MatrixCli.cli(args.toArray(String[]::new));
          ProbeResult real = sb.probe(s.src(), s.dst(), s.probe());
          JsonNode live =
              run.out().isBlank() ? JSON.createObjectNode() : JSON.readTree(run.out()).path("live");
          boolean replied = live.path("outcome").asText().equals("REPLIED");
          System.out.printf(
              "live row %-60s %-50s probe %s%n  disagrees %s: %s%n  %s%n",
              s.name(),
              live.path("outcome").asText(),
              real.delivered() ? "delivered" : "failed",
              live.path("disagrees").asBoolean(),
              live.path("summary").asText(),
              live.path("points"));
          if (live.path("disagrees").asBoolean()) {
            // Every row's model agrees with the real packets (the test above): so must each point.
            wrong.add(s.name() + ": model and live packet disagree: " + live.toPrettyString());
          }
          if (replied != real.delivered()) {
            wrong.add(
                String.format(
                    "%s: live %s, real packets %s (%s)%n%s%s",
                    s.name(),
                    live.path("outcome").asText(),
                    real.delivered() ? "delivered" : "failed",
                    real.reason(),
                    live.toPrettyString(),
                    run.err()));
          }
        } finally {
          s.knob().reset(sb);
          Conntrack.flush(sb); // no NAT leftovers for the next row
        }
      } catch (RuntimeException e) {
        wrong.add(s.name() + ": could not run: " + e);
      }
    }
    assertThat(wrong).as("scenarios where the live packet and real packets disagree").isEmpty();
  }

  /** Null when podpath agrees with the probe (and names the cause of a failure). */
  private String disagreement(MatrixScenario s) throws Exception {
    Traced t = trace(s.traceSrc(), s.traceDst(sb), s.traceOpts().toArray(String[]::new));
    ProbeResult real = sb.probe(s.src(), s.dst(), s.probe());
    boolean outside = s.dst().equals("ext");
    // To an outside address podpath's answer is the forward direction (the reply starts outside).
    boolean works =
        outside
            ? t.forward().equals("LEFT_CLUSTER")
            : t.forward().equals("DELIVERED") && t.reply().equals("DELIVERED");
    if (works != real.delivered()) {
      return String.format(
          "podpath %s/%s, real packets %s (%s)%n%s",
          t.forward(),
          t.reply(),
          real.delivered() ? "delivered" : "failed",
          real.reason(),
          t.text());
    }
    if (!works && s.named().isPresent() && !t.text().contains(s.named().get())) {
      return "the failure is not named '" + s.named().get() + "':\n" + t.text();
    }
    return null;
  }
}
