package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.aggregator.agents.AgentCredentials;
import io.podpath.aggregator.agents.GrpcAgentClient;
import io.podpath.aggregator.agents.StaticAgentDirectory;
import io.podpath.aggregator.alert.Alerting;
import io.podpath.aggregator.alert.AlertmanagerProcess;
import io.podpath.aggregator.alert.AlertmanagerSink;
import io.podpath.aggregator.alert.Receiver;
import io.podpath.aggregator.api.AggregatorGrpcService;
import io.podpath.aggregator.api.AggregatorServer;
import io.podpath.aggregator.api.SweepProtos;
import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.render.SweepRenderer;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.SweepResult;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Node;
import io.podpath.testkit.Promtool;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps of a REAL 3-node OVN sandbox (prefix ck, index 5): one real agent runtime per node (gRPC,
 * reading its node through the host netns), the aggregator's GrpcAgentClient, the snapshot
 * inventory the sandbox wrote, and the CLI against the Sweep/Status RPCs.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(prefix = "ck", index = 5, apps = false)
class SweepSandboxTest {
  static Sandbox sandbox;
  static final List<AgentRuntime> agents = new ArrayList<>();
  static GrpcAgentClient client;
  static SweepService sweeps;
  static AggregatorServer server;

  @BeforeAll
  static void start(Sandbox s) throws Exception {
    sandbox = s;
    List<String> specs = new ArrayList<>();
    for (Node n : s.nodes()) {
      AgentRuntime rt =
          AgentRuntime.start(
              AgentOptions.loopback(
                  n.name(), n.ovsRundir(), Optional.of(Path.of("/var/run/netns", n.netns())), 8));
      agents.add(rt);
      specs.add(n.name() + "=127.0.0.1:" + rt.grpcPort());
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SnapshotInventory inventory = SnapshotInventory.load(s.manifest());
    client =
        new GrpcAgentClient(
            StaticAgentDirectory.parse(specs),
            AgentCredentials.plaintext(),
            Duration.ofSeconds(30),
            registry);
    // default/web answers UDP 53 at the conventional cluster DNS address
    SweepRunner runner =
        new SweepRunner(
            inventory,
            client,
            new ClusterContexts(List.of(new ObjectRef("default", "web"))),
            2,
            Duration.ofSeconds(30));
    sweeps = new SweepService(runner, Optional.empty(), new SweepMetrics(registry));
    server =
        new AggregatorServer(
                new io.podpath.proto.grpc.HostPort("127.0.0.1", 0),
                List.of(new AggregatorGrpcService(inventory, client, registry, sweeps)))
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (sweeps != null) {
      sweeps.close();
    }
    if (client != null) {
      client.close();
    }
    agents.forEach(AgentRuntime::close);
  }

  static String describe(SweepResult r) {
    StringBuilder b = new StringBuilder();
    for (NodeReport n : r.getNodesList()) {
      for (CheckResult c : n.getChecksList()) {
        b.append(n.getNode())
            .append(' ')
            .append(c.getId())
            .append(' ')
            .append(c.getStatus())
            .append(": ")
            .append(c.getSummary())
            .append('\n');
      }
    }
    r.getClusterChecksList()
        .forEach(
            c ->
                b.append("cluster ")
                    .append(c.getId())
                    .append(' ')
                    .append(c.getStatus())
                    .append(": ")
                    .append(c.getSummary())
                    .append(' ')
                    .append(c.getEvidenceList())
                    .append('\n'));
    return b.toString();
  }

  static CheckResult cluster(SweepResult r, String id) {
    return r.getClusterChecksList().stream()
        .filter(c -> c.getId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  static CheckResult node(SweepResult r, String node, String id) {
    return r.getNodesList().stream()
        .filter(n -> n.getNode().equals(node))
        .findFirst()
        .orElseThrow()
        .getChecksList()
        .stream()
        .filter(c -> c.getId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  static SweepResult awaitHealthy() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      SweepResult r = SweepProtos.result(sweeps.sweep(List.of(), List.of(), u -> {}));
      if (SweepRenderer.healthy(r) || System.nanoTime() > deadline) {
        return r;
      }
      Thread.sleep(500);
    }
  }

  @Test
  void healthySandboxEveryNodeAndClusterCheckOkOrNotApplicable() throws Exception {
    SweepResult r = awaitHealthy();
    assertThat(SweepRenderer.healthy(r)).as(describe(r)).isTrue();
    assertThat(r.getNodesList())
        .extracting(NodeReport::getNode)
        .containsExactly("node1", "node2", "node3");
    assertThat(r.getNodes(0).getChecksList())
        .extracting(CheckResult::getId)
        .containsExactlyElementsOf(CheckIds.NODE);
    assertThat(cluster(r, ClusterChecks.TUNNEL_MESH).getStatus())
        .as(describe(r))
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
    assertThat(cluster(r, ClusterChecks.MTU_PROBE).getStatus())
        .as(describe(r))
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
    assertThat(cluster(r, ClusterChecks.MTU_PROBE).getEvidenceList().toString())
        .contains("DF ping -s 1372 (pod MTU 1400 - 28)");
    assertThat(sweeps.last().map(SweepProtos::result)).contains(r);
  }

  static String ip(String node) {
    return sandbox.nodes().stream()
        .filter(n -> n.name().equals(node))
        .findFirst()
        .orElseThrow()
        .ip();
  }

  @Test
  void aMissingTunnelIsNamedNodeToPeerFromTheAgentsSummaries() throws Exception {
    awaitHealthy();
    // hack/sandbox puts node2 and node3 in disjoint OVN transport zones: both lose that tunnel
    sandbox.breakFault(Fault.TUNNEL, "node2");
    try {
      SweepResult r = SweepProtos.result(sweeps.sweep(List.of(), List.of(), u -> {}));
      CheckResult mesh = cluster(r, ClusterChecks.TUNNEL_MESH);
      assertThat(mesh.getStatus()).as(describe(r)).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
      assertThat(mesh.getSummary())
          .contains("node2→node3 (" + ip("node3") + ")")
          .contains("node3→node2 (" + ip("node2") + ")")
          .doesNotContain("node1→");
      CheckResult t = node(r, "node2", "tunnels");
      assertThat(t.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
      assertThat(t.getSummary()).startsWith("no tunnel to node3 (" + ip("node3") + ")");
      assertThat(node(r, "node1", "tunnels").getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_OK);
    } finally {
      sandbox.fix(Fault.TUNNEL, "node2");
    }
    assertThat(cluster(awaitHealthy(), ClusterChecks.TUNNEL_MESH).getStatus())
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
  }

  @Test
  void activeMtuProbeFailsWithPodMtu1500Over1500UnderlayAndPassesAt1400() throws Exception {
    awaitHealthy();
    sandbox.breakFault(Fault.MTU, "node2");
    try {
      SweepResult r = SweepProtos.result(sweeps.sweep(List.of(), List.of(), u -> {}));
      assertThat(node(r, "node2", "mtu").getStatus())
          .as(describe(r))
          .isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
      assertThat(node(r, "node1", "mtu").getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_OK);
      CheckResult probe = cluster(r, ClusterChecks.MTU_PROBE);
      assertThat(probe.getStatus()).as(describe(r)).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
      assertThat(probe.getSummary()).contains("node2→node3").contains("MTU blackhole");
      assertThat(probe.getEvidenceList().toString())
          .contains("DF ping -s 1472 (pod MTU 1500 - 28)");
    } finally {
      sandbox.fix(Fault.MTU, "node2");
    }
    SweepResult after = awaitHealthy();
    assertThat(cluster(after, ClusterChecks.MTU_PROBE).getStatus())
        .as(describe(after))
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
  }

  @Test
  void cliSweepJsonAndStatusOverTheRealRpc() throws Exception {
    awaitHealthy();
    String addr = "127.0.0.1:" + server.port();
    Run sweep =
        cli(
            "--aggregator",
            addr,
            "sweep",
            "--node",
            "node1",
            "--check",
            "ip-forward",
            "--check",
            "mtu",
            "-o",
            "json");
    assertThat(sweep.exit).as(sweep.err).isZero();
    JsonNode json = new ObjectMapper().readTree(sweep.out);
    assertThat(json.get("nodes")).hasSize(1);
    assertThat(json.get("nodes").get(0).get("node").asText()).isEqualTo("node1");
    assertThat(json.get("nodes").get(0).get("checks"))
        .extracting(c -> c.get("id").asText())
        .containsExactly("ip-forward", "mtu");
    assertThat(json.get("nodes").get(0).get("checks"))
        .extracting(c -> c.get("status").asText())
        .containsOnly("OK");

    Run status = cli("--aggregator", addr, "status", "-o", "yaml");
    assertThat(status.exit).as(status.err).isZero();
    assertThat(status.out).contains("node: \"node1\"").contains("id: \"ip-forward\"");

    Run unknown = cli("--aggregator", addr, "sweep", "--node", "node9");
    assertThat(unknown.exit).isEqualTo(4);
    assertThat(unknown.err).contains("node node9 not found").doesNotContain("NOT_FOUND");
    Run badCheck = cli("--aggregator", addr, "sweep", "--check", "nope");
    assertThat(badCheck.exit).isEqualTo(2);
    assertThat(badCheck.err).contains("unknown check 'nope'").doesNotContain("INVALID_ARGUMENT");
  }

  @Test
  void aRealFaultReachesARealAlertmanagerAsFiringThenResolved(@TempDir Path dir) throws Exception {
    awaitHealthy();
    int amPort;
    try (java.net.ServerSocket free =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      amPort = free.getLocalPort();
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Receiver rx = new Receiver();
        AlertmanagerProcess am = new AlertmanagerProcess(amPort, dir.resolve("am"), rx.port());
        SweepService alerting =
            new SweepService(
                new SweepRunner(
                    SnapshotInventory.load(sandbox.manifest()),
                    client,
                    new ClusterContexts(List.of(new ObjectRef("default", "web"))),
                    2,
                    Duration.ofSeconds(30)),
                Optional.of(
                    Alerting.start(
                        1,
                        dir.resolve("alert-state.json"),
                        List.of(new AlertmanagerSink(am.base(), "")),
                        100,
                        Duration.ofMillis(100),
                        Duration.ofSeconds(1),
                        registry)),
                new SweepMetrics(registry))) {
      sandbox.breakFault(Fault.IP_FORWARD, "node1");
      try {
        alerting.sweep(List.of(), List.of("ip-forward"), u -> {});
        Receiver.Request firing =
            rx.await(r -> r.text().contains("\"status\":\"firing\""), Duration.ofSeconds(20));
        assertThat(firing.text())
            .contains("\"node\":\"node1\"")
            .contains("\"check\":\"ip-forward\"")
            .contains("net.ipv4.ip_forward=0");
        assertThat(am.alerts()).contains("\"node\":\"node1\"");
      } finally {
        sandbox.fix(Fault.IP_FORWARD, "node1");
      }
      alerting.sweep(List.of(), List.of("ip-forward"), u -> {});
      Receiver.Request resolved =
          rx.await(r -> r.text().contains("\"status\":\"resolved\""), Duration.ofSeconds(20));
      assertThat(resolved.text()).contains("\"check\":\"ip-forward\"");
      assertThat(rx.requests())
          .noneMatch(
              r ->
                  r.text().contains("\"node\":\"node2\"")
                      || r.text().contains("\"node\":\"node3\""));
    }
  }

  @Test
  void agentMetricsEndpointServesCheckMetricsThatPassPromtool() throws Exception {
    sweeps.sweep(List.of("node1"), List.of("ip-forward", "conntrack"), u -> {});
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + agents.get(0).httpPort() + "/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("podpath_check_status{check=\"ip-forward\",status=\"ok\"} 1.0")
        .contains("podpath_check_duration_seconds_count{check=\"conntrack\"}");
    // Only podpath's own families are linted here: the gRPC interceptor's metrics (agent core)
    // carry camelCase tag names that promtool's linter rejects.
    String ours =
        r.body()
            .lines()
            .filter(l -> l.matches("^(# (HELP|TYPE) )?podpath_check_.*"))
            .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    assertThat(ours).contains("# TYPE podpath_check_status gauge");
    Promtool.Lint lint = Promtool.checkMetrics(ours);
    assertThat(lint.clean()).as(lint.output()).isTrue();
  }

  record Run(int exit, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = io.podpath.aggregator.cli.Commands.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
