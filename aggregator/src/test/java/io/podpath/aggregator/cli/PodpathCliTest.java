package io.podpath.aggregator.cli;

import static io.podpath.aggregator.trace.FakeAgents.dropped;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.aggregator.api.AggregatorGrpcService;
import io.podpath.aggregator.api.AggregatorServer;
import io.podpath.aggregator.trace.FakeAgents;
import io.podpath.aggregator.trace.TracePlannerTest;
import io.podpath.proto.grpc.HostPort;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.Protocol;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI against a real aggregator server on loopback, its agents faked with NodeTrace protos. */
class PodpathCliTest {
  static final String N1 = TracePlannerTest.N1;
  static final String N2 = TracePlannerTest.N2;
  static AggregatorServer server;
  static String address;

  @BeforeAll
  static void startAggregator() throws Exception {
    var inventory = TracePlannerTest.inventory();
    FakeAgents agents = FakeAgents.cluster(inventory);
    // web-2 is guarded by a deny-ingress policy for TCP only.
    agents.on(
        "node2",
        r ->
            r.hasTunnel() && r.getPacket().getProtocol() == Protocol.PROTOCOL_TCP
                ? dropped(44, "default", "deny-ingress-web-2")
                : FakeAgents.healthy(inventory, "node2", r));
    agents.inspection(
        "node1",
        PodInspection.newBuilder()
            .setNode("node1")
            .setNetns("/var/run/netns/ag-p2")
            .setIfindex(2)
            .setIflink(9)
            .setHostInterface("veth2")
            .setOfport(4)
            .setMac("0a:58:0a:f4:01:04")
            .addIps("10.244.1.4")
            .setMtu(1400)
            .build());
    server =
        new AggregatorServer(
                new HostPort("127.0.0.1", 0),
                List.of(new AggregatorGrpcService(inventory, agents, new SimpleMeterRegistry())))
            .start();
    address = "127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    List<String> all = new ArrayList<>(List.of("--aggregator", address));
    all.addAll(List.of(args));
    return runBare(all.toArray(String[]::new));
  }

  static Run runBare(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Commands.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void deliveredCrossNodeExitsZeroAndPrintsBothNodesAndTheTunnel() {
    Run r = run("trace", "default/client-1", "default/web-2", "--udp", "--dst-port", "53");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "forward  DELIVERED  podpath trace indicates success from default/client-1 10.244.1.4:40000 to default/web-2 10.244.2.3:53 via node1 -> node2")
        .contains("node1 (source)       leaves by geneve " + N1 + " -> " + N2 + " vni 0x3")
        .contains("node2 (destination)  delivered to pod default/web-2")
        .contains("reply    DELIVERED")
        // Not a terminal: no colour codes.
        .doesNotContain("\u001b[");
  }

  @Test
  void droppedExitsOneAndJsonHasTheForwardAndReplyOfItsOneEndpoint() throws Exception {
    Run r =
        run(
            "trace",
            "default/client-1",
            "default/web-2",
            "--tcp",
            "--dst-port",
            "80",
            "-o",
            "json");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.path("endpoints").get(0).path("forward").path("verdict").asText())
        .isEqualTo("DROPPED");
    assertThat(j.path("endpoints").get(0).path("forward").path("droppedNode").asText())
        .isEqualTo("node2");
    assertThat(
            j.path("endpoints")
                .get(0)
                .path("forward")
                .path("drop")
                .path("networkPolicy")
                .path("name")
                .asText())
        .isEqualTo("deny-ingress-web-2");
    assertThat(j.path("endpoints").get(0).path("forward").path("nodes")).hasSize(2);
    JsonNode tunnel =
        j.path("endpoints")
            .get(0)
            .path("forward")
            .path("nodes")
            .get(0)
            .path("outcome")
            .path("tunnel");
    assertThat(tunnel.path("remoteIp").asText()).isEqualTo(N2);
    assertThat(tunnel.path("vni").asLong()).isEqualTo(3);
    assertThat(j.path("endpoints").get(0).path("reply").path("verdict").asText())
        .isEqualTo("DELIVERED");
  }

  @Test
  void serviceGivesOnePairPerEndpointInYaml() throws Exception {
    Run r =
        run(
            "trace",
            "default/client-1",
            "svc/default/web",
            "--udp",
            "--dst-port",
            "53",
            "-o",
            "yaml");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode y = new ObjectMapper(new YAMLFactory()).readTree(r.out());
    assertThat(y.path("endpoints")).hasSize(TracePlannerTest.inventory().nodes().size());
    for (JsonNode e : y.path("endpoints")) {
      assertThat(e.path("forward").path("verdict").asText()).isEqualTo("DELIVERED");
      assertThat(e.path("reply").path("verdict").asText()).isEqualTo("DELIVERED");
      assertThat(e.path("forward").path("notes").get(0).asText())
          .contains("DNATed to " + e.path("ip").asText() + ":53");
    }
    assertThat(y.path("forward").isMissingNode()).isTrue();
  }

  @Test
  void podAndServiceTracesShareOneDocumentShapeInJsonAndYaml() throws Exception {
    String[] pod = {"trace", "default/client-1", "default/web-2", "--udp", "--dst-port", "53"};
    String[] svc = {"trace", "default/client-1", "svc/default/web", "--udp", "--dst-port", "53"};
    ObjectMapper json = new ObjectMapper();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode podJson = json.readTree(run(concat(pod, "-o", "json")).out());
    JsonNode svcJson = json.readTree(run(concat(svc, "-o", "json")).out());
    assertThat(yaml.readTree(run(concat(pod, "-o", "yaml")).out())).isEqualTo(podJson);
    assertThat(yaml.readTree(run(concat(svc, "-o", "yaml")).out())).isEqualTo(svcJson);
    assertThat(keys(podJson))
        .containsExactly("source", "destination", "delivered", "reached", "outcome", "endpoints")
        .isEqualTo(keys(svcJson));
    assertThat(podJson.path("endpoints")).hasSize(1);
    assertThat(podJson.path("delivered").asBoolean()).isTrue();
    JsonNode one = podJson.path("endpoints").get(0);
    for (JsonNode e : svcJson.path("endpoints")) {
      assertThat(keys(e)).containsAll(List.of("endpoint", "ip", "forward", "reply"));
      assertThat(keys(e.path("forward"))).containsAll(keys(one.path("forward")));
    }
  }

  private static List<String> keys(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void dotIsAGraph() {
    Run r = run("trace", "default/client-1", "default/web-2", "--icmp", "-o", "dot");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("digraph podpath {")
        .contains("geneve " + N1 + " -> " + N2 + " vni 0x3")
        .endsWith("}\n");
  }

  @Test
  void dotStacksForwardAboveReplyAndServiceEndpointsUnderEachOther() throws Exception {
    Run r =
        run(
            "trace",
            "default/client-1",
            "svc/default/web",
            "--udp",
            "--dst-port",
            "53",
            "-o",
            "dot");
    assertThat(r.exit()).as(r.err()).isZero();
    int endpoints = TracePlannerTest.inventory().nodes().size();
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      rows.add("e" + i + "f_src");
      rows.add("e" + i + "r_src");
    }
    // Every row starts in one rank, chained in order: forward, its reply, the next endpoint.
    assertThat(r.out())
        .contains("newrank=true")
        .contains("{ rank=same; " + String.join(" -> ", rows) + " [style=invis]; }");
    assertThat(r.out().indexOf("cluster_e0f")).isLessThan(r.out().indexOf("cluster_e0r"));
  }

  @Test
  void aServiceTracesRecirculationDoesNotReadLikeAFailure() {
    Run r = run("trace", "default/client-1", "svc/default/web", "--udp", "--dst-port", "53");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("recirculates through conntrack/NAT")
        .contains("the trace pass ends here, not the packet")
        .doesNotContain("stops at recirculation");
  }

  @Test
  void inspectPrintsTheWiringAsJson() throws Exception {
    Run r = run("inspect", "default/client-1", "-o", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    for (String f :
        List.of(
            "node",
            "netns",
            "ifindex",
            "iflink",
            "hostInterface",
            "ofport",
            "mac",
            "ips",
            "mtu",
            "findings")) {
      assertThat(j.has(f)).as(f).isTrue();
    }
    assertThat(j.path("hostInterface").asText()).isEqualTo("veth2");
    assertThat(j.path("ips").get(0).asText()).isEqualTo("10.244.1.4");
  }

  @Test
  void exitCodes() {
    assertThat(run("trace", "default/client-1").exit()).isEqualTo(2);
    // A bare name is a pod in the default namespace, as in kubectl.
    assertThat(run("trace", "default/client-1", "nonsense").exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run("trace", "default/client-1", "a/b/c/d").exit()).isEqualTo(2);
    assertThat(run("trace", "default/client-1", "default/web-2", "--tcp", "--udp").exit())
        .isEqualTo(2);
    Run notFound = run("trace", "default/nobody", "default/web-2", "--dst-port", "80");
    assertThat(notFound.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(notFound.err())
        .contains("source pod default/nobody not found")
        .doesNotContain("NOT_FOUND");
    assertThat(
            runBare(
                    "trace",
                    "default/client-1",
                    "default/web-2",
                    "--dst-port",
                    "80",
                    "--aggregator",
                    "127.0.0.1:1")
                .exit())
        .isEqualTo(3);
    // No address: the CLI port-forwards with the user's kubeconfig, which here cannot be read.
    Run none =
        runBare(
            "--aggregator",
            "",
            "--kubeconfig",
            "/nonexistent/kubeconfig",
            "inspect",
            "default/client-1");
    assertThat(none.exit()).isEqualTo(3);
    assertThat(none.err()).contains("cannot read kubeconfig /nonexistent/kubeconfig");
  }

  @Test
  void serveRefusesBadFlagsBeforeStarting() {
    Run noTls = runBare("serve", "--snapshot", "/nonexistent.yaml");
    assertThat(noTls.exit()).isEqualTo(2);
    assertThat(noTls.err()).contains("give --tls-cert, --tls-key and --tls-ca");
    Run badAgent = runBare("serve", "--plaintext", "--agent", "node1", "--listen", "127.0.0.1:0");
    assertThat(badAgent.exit()).isEqualTo(2);
    assertThat(badAgent.err()).contains("expected NODE=HOST:PORT");
    Run badManifest =
        runBare("serve", "--plaintext", "--snapshot", "/etc/hostname", "--listen", "127.0.0.1:0");
    assertThat(badManifest.exit()).isEqualTo(2);
    assertThat(badManifest.err()).contains("/etc/hostname: ");
    Run badListen = runBare("serve", "--plaintext", "--listen", "nowhere");
    assertThat(badListen.exit()).isEqualTo(2);
    assertThat(badListen.err()).contains("expected HOST:PORT");
  }

  @Test
  void completionScriptIsGenerated() {
    Run r = run("completion");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("podpath").contains("complete");
  }
}
