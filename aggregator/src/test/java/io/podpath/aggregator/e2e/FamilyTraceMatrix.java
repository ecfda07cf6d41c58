package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Conntrack;
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
 * The real-packet matrix in one address family of an IPv6-only or dual-stack OVN sandbox: every
 * trace runs with {@code --family}, every probe with the same family, and they must agree. The rows
 * are {@link MatrixScenarios#forFamily}; what IPv6 leaves out is said there.
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FamilyTraceMatrix {
  private static final List<Probe> ALL = List.of(Probe.tcp(80), Probe.udp(53), Probe.icmp());

  Sandbox sb;
  private SandboxAggregator aggregator;

  /** 4 or 6. */
  abstract int family();

  @BeforeAll
  void startAggregator(Sandbox sandbox) {
    sb = sandbox;
    aggregator = SandboxAggregator.start(sandbox);
  }

  @AfterAll
  void stopAggregator() {
    if (aggregator != null) {
      aggregator.close();
    }
  }

  TraceMatrix.Traced trace(String src, String dst, List<String> opts) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("--aggregator", aggregator.address(), "trace", src, dst));
    args.addAll(opts);
    String[] base = args.toArray(String[]::new);
    MatrixCli.Run json = MatrixCli.cli(MatrixCli.concat(base, "-o", "json"));
    MatrixCli.Run text = MatrixCli.cli(base);
    assertThat(json.exit()).as("podpath trace %s %s: %s", src, dst, json.err()).isIn(0, 1);
    return new TraceMatrix.Traced(
        json.exit(), MatrixCli.JSON.readTree(json.out()), text.out() + text.err());
  }

  private List<String> opts(Probe p) {
    List<String> o = new ArrayList<>(List.of(TraceMatrix.opts(p)));
    o.addAll(List.of("--family", Integer.toString(family())));
    return o;
  }

  private void assertFamily(JsonNode direction, String text) {
    assertThat(direction.path("packet").path("dstIp").asText().contains(":"))
        .as("the traced packet is IPv%d: %s", family(), text)
        .isEqualTo(family() == 6);
  }

  /** A pod pair on one node and across the tunnel, TCP, UDP and ICMP echo, both directions. */
  @Test
  void podPairsAgreeWithRealPacketsInThisFamily() throws Exception {
    for (String dst : List.of("default/web-1", "default/web-2")) {
      for (Probe p : ALL) {
        TraceMatrix.Traced t = trace("default/client-1", dst, opts(p));
        ProbeResult real = sb.probe("default/client-1", dst, p.inFamily(family()));
        assertThat(real.delivered()).as("%s %s: %s", dst, p.protocol(), real.reason()).isTrue();
        assertThat(t.forward() + "/" + t.reply()).as(t.text()).isEqualTo("DELIVERED/DELIVERED");
        assertFamily(t.first().path("forward"), t.text());
        if (dst.endsWith("-2")) {
          JsonNode nodes = t.first().path("forward").path("nodes");
          JsonNode tunnel = nodes.get(nodes.size() - 2).path("outcome").path("tunnel");
          assertThat(tunnel.path("remoteIp").asText()).as(t.text()).isEqualTo(sb.nodeIp("node2"));
        }
      }
    }
  }

  /**
   * The source pod's own route of this family is checked (no pod-route-unchecked), and without its
   * default route of this family the trace stops at the pod, as real packets do.
   */
  @Test
  void sourcePodsOwnRouteIsCheckedInThisFamily() throws Exception {
    String fam = "-" + family();
    Probe p = Probe.tcp(80);
    TraceMatrix.Traced ok = trace("default/client-1", "default/web-2", opts(p));
    assertThat(ok.forward() + "/" + ok.reply()).as(ok.text()).isEqualTo("DELIVERED/DELIVERED");
    assertThat(ok.json().toString()).as(ok.text()).doesNotContain("pod-route-unchecked");
    String gw =
        MatrixCli.JSON
            .readTree(
                sb.exec("default/client-1", "ip", "-j", fam, "route", "show", "default").stdout())
            .path(0)
            .path("gateway")
            .asText();
    assertThat(gw).as("client-1's IPv%d default route", family()).isNotEmpty();
    sb.exec("default/client-1", "ip", fam, "route", "del", "default");
    try {
      TraceMatrix.Traced t = trace("default/client-1", "default/web-2", opts(p));
      ProbeResult real = sb.probe("default/client-1", "default/web-2", p.inFamily(family()));
      assertThat(real.delivered()).as(real.reason()).isFalse();
      assertThat(t.forward()).as(t.text()).isEqualTo("DROPPED");
      assertThat(t.text()).contains("has no route to " + sb.pod("default/web-2").ip(family()));
    } finally {
      sb.exec(
          "default/client-1", "ip", fam, "route", "replace", "default", "via", gw, "dev", "eth0");
      Conntrack.flush(sb);
    }
  }

  /**
   * The Service's ClusterIP of this family: every endpoint of this family, each against a probe.
   */
  @Test
  void serviceEveryEndpointInThisFamily() throws Exception {
    for (Probe p : List.of(Probe.tcp(80), Probe.udp(53))) {
      TraceMatrix.Traced t = trace("default/client-1", "svc/default/web", opts(p));
      JsonNode eps = t.json().path("endpoints");
      assertThat(eps.size()).as(t.text()).isEqualTo(sb.nodes().size());
      for (JsonNode e : eps) {
        assertThat(e.path("forward").path("packet").path("dstIp").asText())
            .as(t.text())
            .isEqualTo(sb.serviceIp(family()));
        ProbeResult real =
            sb.probe("default/client-1", e.path("pod").asText(), p.inFamily(family()));
        boolean delivered =
            e.path("forward").path("verdict").asText().equals("DELIVERED")
                && e.path("reply").path("verdict").asText().equals("DELIVERED");
        assertThat(delivered)
            .as("%s: %s%n%s", e.path("endpoint"), real.reason(), t.text())
            .isEqualTo(real.delivered());
      }
      assertThat(sb.probe("default/client-1", "svc/default/web", p.inFamily(family())).delivered())
          .isTrue();
    }
  }

  /**
   * A pod to the external host and its reply, traced back in from the node it left by (through that
   * node's kernel: conntrack's reverse NAT, FORWARD, the route into OVS).
   */
  @Test
  void externalHostLeavesTheClusterInThisFamily() throws Exception {
    for (Probe p : List.of(Probe.tcp(80), Probe.icmp())) {
      TraceMatrix.Traced t =
          trace("default/client-1", "ip:" + sb.externalIp(family()), List.of(TraceMatrix.opts(p)));
      ProbeResult real = sb.probe("default/client-1", "ext", p.inFamily(family()));
      assertThat(real.delivered()).as("%s: %s", p.protocol(), real.reason()).isTrue();
      assertThat(t.forward() + "/" + t.reply()).as(t.text()).isEqualTo("LEFT_CLUSTER/DELIVERED");
      assertThat(t.first().path("forward").path("leftVia").asText()).startsWith("node1 via port");
      assertFamily(t.first().path("reply"), t.text());
    }
  }

  /**
   * The external host to a pod, entering at node1 ({@code --ingress-node}, the probe's {@code
   * --via}): delivered with the reply leaving by node1 for its pod; for node2's pod the reply
   * leaves by node2, which real packets show as a failure too.
   */
  @Test
  void outsideSourceEnteringAtANodeInThisFamily() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (String dst : List.of("default/web-1", "default/web-2")) {
      for (Probe p : List.of(Probe.tcp(80), Probe.icmp())) {
        List<String> o = new ArrayList<>(List.of(TraceMatrix.opts(p)));
        o.addAll(List.of("--ingress-node", "node1"));
        TraceMatrix.Traced t = trace("ip:" + sb.externalIp(family()), dst, o);
        ProbeResult real = sb.probe("ext", dst, p.through("node1").inFamily(family()));
        boolean works =
            t.forward().equals("DELIVERED")
                && t.reply().equals("LEFT_CLUSTER")
                && t.first().path("reply").path("leftVia").asText().startsWith("node1 ");
        if (works != real.delivered()) {
          wrong.add(
              String.format(
                  "%s %s: podpath %s/%s, real packets %s (%s)%n%s",
                  dst,
                  p.protocol(),
                  t.forward(),
                  t.reply(),
                  real.delivered() ? "delivered" : "failed",
                  real.reason(),
                  t.text()));
        }
        assertFamily(t.first().path("forward"), t.text());
        Conntrack.flush(sb);
      }
    }
    assertThat(wrong).as("IPv%d outside-source rows that disagree", family()).isEmpty();
  }

  /**
   * NodePorts on each node's address of this family from the external host: {@link
   * FamilyNodePorts}.
   */
  @Test
  void nodePortsFromOutsideAgreeWithRealPacketsInThisFamily() throws Exception {
    assertThat(FamilyNodePorts.disagreements(sb, family()))
        .as("IPv%d NodePort rows where podpath and real packets disagree", family())
        .isEmpty();
  }

  /** A NetworkPolicy's drop of a packet of this family, named to the policy; the reverse works. */
  @Test
  void denyIngressDropIsNamedToItsPolicy() throws Exception {
    sb.policyDenyIngress("default/web-2");
    try {
      TraceMatrix.Traced t = trace("default/client-1", "default/web-2", opts(Probe.tcp(80)));
      assertThat(
              sb.probe("default/client-1", "default/web-2", Probe.tcp(80).inFamily(family()))
                  .delivered())
          .isFalse();
      assertThat(t.forward()).as(t.text()).isEqualTo("DROPPED");
      assertFamily(t.first().path("forward"), t.text());
      assertThat(t.first().path("forward").path("summary").asText())
          .as(t.text())
          .contains("by NetworkPolicy default/deny-ingress-web-2 (ingress)");
      TraceMatrix.Traced back = trace("default/web-2", "default/client-1", opts(Probe.tcp(80)));
      assertThat(back.forward()).as(back.text()).isEqualTo("DELIVERED");
      assertThat(
              sb.probe("default/web-2", "default/client-1", Probe.tcp(80).inFamily(family()))
                  .delivered())
          .isTrue();
    } finally {
      sb.clearPolicies();
    }
  }

  /** Every row of {@link MatrixScenarios#forFamily}: podpath and real packets agree, all listed. */
  @Test
  void scenarioTableAgreesWithRealPacketsInThisFamily() throws Exception {
    List<String> wrong = new ArrayList<>();
    List<MatrixScenario> rows = MatrixScenarios.forFamily(sb.mode(), family());
    assertThat(rows).isNotEmpty();
    for (MatrixScenario s : rows) {
      try {
        s.warmUp().ifPresent(w -> sb.probe(s.src(), s.dst(), w.inFamily(family())));
        s.knob().apply(sb);
        try {
          String why = disagreement(s);
          if (why != null) {
            wrong.add(s.name() + ": " + why);
          }
        } finally {
          s.knob().reset(sb);
          Conntrack.flush(sb);
        }
      } catch (RuntimeException e) {
        wrong.add(s.name() + ": could not run: " + e);
      }
    }
    System.out.printf("IPv%d matrix: %d rows, %d disagree%n", family(), rows.size(), wrong.size());
    assertThat(wrong).as("IPv%d rows where podpath and real packets disagree", family()).isEmpty();
  }

  /**
   * The same rows with {@code --live}: ONE real packet of this family with the row's 5-tuple,
   * observed at every capture point both ways; the live outcome is REPLIED exactly when {@code
   * hack/sandbox probe --family} gets its answer, and no point disagrees with the model.
   */
  @Test
  void scenarioTableLiveOutcomeEqualsRealPacketsInThisFamily() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (MatrixScenario s : MatrixScenarios.forFamily(sb.mode(), family())) {
      if (liveRefused(s)) {
        continue;
      }
      try {
        s.warmUp().ifPresent(w -> sb.probe(s.src(), s.dst(), w.inFamily(family())));
        s.knob().apply(sb);
        try {
          List<String> args =
              new ArrayList<>(
                  List.of(
                      "--aggregator",
                      aggregator.address(),
                      "trace",
                      s.traceSrc(),
                      s.traceDst(sb, family()),
                      "--live",
                      "--live-timeout",
                      "1s",
                      "-o",
                      "json"));
          args.addAll(s.traceOpts(family()));
          if (s.dst().equals("ext")) {
            args.add("--allow-external");
          }
          MatrixCli.Run run = MatrixCli.cli(args.toArray(String[]::new));
          ProbeResult real = sb.probe(s.src(), s.dst(), s.probe(family()));
          JsonNode live =
              run.out().isBlank()
                  ? MatrixCli.JSON.createObjectNode()
                  : MatrixCli.JSON.readTree(run.out()).path("live");
          boolean replied = live.path("outcome").asText().equals("REPLIED");
          System.out.printf(
              "IPv%d live row %-50s %-30s probe %s%n",
              family(),
              s.name(),
              live.path("outcome").asText(),
              real.delivered() ? "ok" : "failed");
          if (live.path("disagrees").asBoolean()) {
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
          Conntrack.flush(sb);
        }
      } catch (RuntimeException e) {
        wrong.add(s.name() + ": could not run: " + e);
      }
    }
    assertThat(wrong)
        .as("IPv%d rows where the live packet and real packets disagree", family())
        .isEmpty();
  }

  /**
   * A row whose one live packet the source node's agent refuses: another node's IPv6 address over
   * the IPv4 underlay is no tunnel peer, local address or cluster-side route of that node (the
   * probe gate, docs/trace.md "Limits (IPv6)").
   */
  private boolean liveRefused(MatrixScenario s) {
    if (family() != 6 || !s.dst().matches("node\\d+")) {
      return false;
    }
    String from = s.src().matches("node\\d+") ? s.src() : sb.pod(s.src()).node();
    return !s.dst().equals(from);
  }

  private String disagreement(MatrixScenario s) throws Exception {
    TraceMatrix.Traced t = trace(s.traceSrc(), s.traceDst(sb, family()), s.traceOpts(family()));
    ProbeResult real = sb.probe(s.src(), s.dst(), s.probe(family()));
    boolean outside = s.dst().equals("ext");
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
