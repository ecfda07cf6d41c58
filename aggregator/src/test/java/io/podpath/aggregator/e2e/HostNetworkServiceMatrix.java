package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.ExecResult;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Service whose endpoints are hostNetwork pods (the load balancer's backends are the nodes'
 * addresses): the DNATed packet goes to that node's own stack, delivered on the same node, over the
 * underlay to another. The sandbox gets such a Service here: the mode's load balancer {@code
 * VIP:PORT} → each node's address ({@link #installLoadBalancer}), a TCP responder in each node's
 * netns, and in the inventory the hostNetwork pods and the Service's EndpointSlice as the API
 * server has them.
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostNetworkServiceMatrix {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String VIP = "10.96.0.30";
  static final int PORT = 8080;

  Sandbox sb;
  private SandboxAggregator aggregator;
  private final List<Path> pidfiles = new ArrayList<>();

  @BeforeAll
  void start(Sandbox sandbox, @TempDir Path dir) throws Exception {
    sb = sandbox;
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isExecutable(root.resolve("hack/sandbox"))) {
      root = root.getParent();
    }
    installLoadBalancer();
    for (String node : List.of("node1", "node2")) {
      Path pid = dir.resolve("hostnet-" + node + ".pid");
      pidfiles.add(pid);
      run(
          node,
          "bash",
          "-c",
          "setsid python3 "
              + root.resolve("hack/lib/responder.py")
              + " --name default/hostnet-"
              + node
              + " --pidfile "
              + pid
              + " --tcp-port "
              + PORT
              + " --udp-port 0 </dev/null >/dev/null 2>&1 &");
    }
    JsonNode list = YAML.readTree(sandbox.manifest().toFile());
    ArrayNode items = (ArrayNode) list.path("items");
    items.add(hostNetworkPod("node1"));
    items.add(hostNetworkPod("node2"));
    items.add(service());
    items.add(endpointSlice());
    Path manifest = dir.resolve("with-hostnet-service.yaml");
    Files.writeString(manifest, YAML.writeValueAsString(list));
    aggregator = SandboxAggregator.start(sandbox, manifest);
    for (Path p : pidfiles) {
      for (int i = 0; i < 50 && !Files.exists(p); i++) {
        Thread.sleep(100);
      }
    }
  }

  /** Makes {@code VIP:PORT} (TCP) balance to both nodes' addresses, as the mode's Services do. */
  abstract void installLoadBalancer();

  void run(String target, String... argv) {
    ExecResult r = sb.exec(target, argv);
    assertThat(r.ok()).as("%s on %s: %s", List.of(argv), target, r.stderr()).isTrue();
  }

  @AfterAll
  void stop() throws Exception {
    if (aggregator != null) {
      aggregator.close();
    }
    for (Path p : pidfiles) {
      if (Files.exists(p)) {
        ProcessHandle.of(Long.parseLong(Files.readString(p).trim()))
            .ifPresent(ProcessHandle::destroy);
      }
    }
  }

  private ObjectNode hostNetworkPod(String node) {
    ObjectNode pod = JSON.createObjectNode();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata")
        .put("name", "hostnet-" + node)
        .put("namespace", "default")
        .put("uid", "hostnet-" + node);
    pod.putObject("spec").put("nodeName", node).put("hostNetwork", true);
    ObjectNode status = pod.putObject("status");
    status.put("phase", "Running").put("hostIP", sb.nodeIp(node)).put("podIP", sb.nodeIp(node));
    status.putArray("podIPs").addObject().put("ip", sb.nodeIp(node));
    return pod;
  }

  private static ObjectNode service() {
    ObjectNode svc = JSON.createObjectNode();
    svc.put("apiVersion", "v1").put("kind", "Service");
    svc.putObject("metadata").put("name", "hostnet").put("namespace", "default").put("uid", "hn");
    ObjectNode spec = svc.putObject("spec");
    spec.put("clusterIP", VIP).put("type", "ClusterIP");
    spec.putArray("clusterIPs").add(VIP);
    spec.putArray("ports")
        .addObject()
        .put("name", "http")
        .put("port", PORT)
        .put("protocol", "TCP")
        .put("targetPort", PORT);
    return svc;
  }

  private ObjectNode endpointSlice() {
    ObjectNode es = JSON.createObjectNode();
    es.put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice");
    es.put("addressType", "IPv4");
    ObjectNode meta = es.putObject("metadata");
    meta.put("name", "hostnet-sbx").put("namespace", "default").put("uid", "hn-es");
    meta.putObject("labels").put("kubernetes.io/service-name", "hostnet");
    es.putArray("ports").addObject().put("name", "http").put("port", PORT).put("protocol", "TCP");
    ArrayNode eps = es.putArray("endpoints");
    for (String node : List.of("node1", "node2")) {
      ObjectNode ep = eps.addObject();
      ep.putArray("addresses").add(sb.nodeIp(node));
      ep.putObject("conditions").put("ready", true).put("serving", true);
      ep.put("nodeName", node);
      ep.putObject("targetRef")
          .put("kind", "Pod")
          .put("name", "hostnet-" + node)
          .put("namespace", "default");
    }
    return es;
  }

  private JsonNode trace() throws Exception {
    MatrixCli.Run run =
        MatrixCli.cli(
            "--aggregator",
            aggregator.address(),
            "trace",
            "default/client-1",
            "svc/default/hostnet",
            "--tcp",
            "--dst-port",
            Integer.toString(PORT),
            "-o",
            "json");
    assertThat(run.out()).as(run.err()).isNotBlank();
    return JSON.readTree(run.out());
  }

  private static JsonNode endpoint(JsonNode doc, String pod) {
    for (JsonNode e : doc.path("endpoints")) {
      if (e.path("pod").asText().equals(pod)) {
        return e;
      }
    }
    throw new AssertionError("no endpoint " + pod + " in " + doc.toPrettyString());
  }

  @Test
  void everyEndpointIsItsNodesStackAndAgreesWithRealPackets() throws Exception {
    JsonNode doc = trace();
    assertThat(doc.path("endpoints").size()).as(doc.toPrettyString()).isEqualTo(2);
    for (String node : List.of("node1", "node2")) {
      JsonNode e = endpoint(doc, "default/hostnet-" + node);
      boolean real = sb.probe("default/client-1", node, Probe.tcp(PORT)).delivered();
      assertThat(real).as("client-1 reaches %s:%d", node, PORT).isTrue();
      assertThat(e.path("forward").path("verdict").asText())
          .as(e.toPrettyString())
          .isEqualTo("DELIVERED");
      assertThat(e.path("reply").path("verdict").asText())
          .as(e.toPrettyString())
          .isEqualTo("DELIVERED");
      JsonNode nodes = e.path("forward").path("nodes");
      assertThat(nodes.get(nodes.size() - 1).path("node").asText()).isEqualTo(node);
    }
    ExecResult vip =
        sb.exec(
            "default/client-1",
            "python3",
            Path.of("").toAbsolutePath().getParent().resolve("hack/lib/probe.py").toString(),
            "--proto",
            "tcp",
            "--dst",
            VIP,
            "--port",
            Integer.toString(PORT));
    assertThat(vip.stdout()).as("through the VIP: %s", vip.stderr()).startsWith("delivered");
  }

  @Test
  void anInputDropOnTheEndpointsNodeIsNamedAndRealPacketsFailToo() throws Exception {
    List<String> rule = List.of("-p", "tcp", "--dport", Integer.toString(PORT), "-j", "DROP");
    List<String> add = new ArrayList<>(List.of("iptables", "-I", "INPUT", "1"));
    add.addAll(rule);
    run("node2", add.toArray(String[]::new));
    try {
      JsonNode e = endpoint(trace(), "default/hostnet-node2");
      boolean real = sb.probe("default/client-1", "node2", Probe.tcp(PORT)).delivered();
      assertThat(real).isFalse();
      JsonNode fwd = e.path("forward");
      assertThat(fwd.path("verdict").asText()).as(e.toPrettyString()).isEqualTo("DROPPED");
      assertThat(fwd.path("droppedNode").asText()).isEqualTo("node2");
      assertThat(fwd.path("summary").asText()).contains("filter INPUT #1");
    } finally {
      List<String> del = new ArrayList<>(List.of("iptables", "-D", "INPUT"));
      del.addAll(rule);
      run("node2", del.toArray(String[]::new));
    }
  }
}
