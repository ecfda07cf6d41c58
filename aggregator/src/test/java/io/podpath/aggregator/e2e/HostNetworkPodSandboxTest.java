package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.podpath.aggregator.cli.Commands;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
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
 * A hostNetwork pod (node-exporter, an ingress controller) shares its node's network stack: traced
 * from or to it, podpath follows that node's kernel and OVS, and the verdict matches what a real
 * packet from or to the node's own stack does ({@code hack/sandbox probe nodeI}). The sandbox has
 * no hostNetwork pod of its own, so the inventory gets two: default/hostnet-1 on node1 and
 * default/hostnet-2 on node2, with their nodes' addresses, as the API server reports such pods.
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SandboxConfig(nodes = 2)
class HostNetworkPodSandboxTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private Sandbox sb;
  private SandboxAggregator aggregator;

  @BeforeAll
  void start(Sandbox sandbox, @TempDir Path dir) throws Exception {
    sb = sandbox;
    JsonNode list = YAML.readTree(sandbox.manifest().toFile());
    ArrayNode items = (ArrayNode) list.path("items");
    items.add(hostNetworkPod("hostnet-1", "node1"));
    items.add(hostNetworkPod("hostnet-2", "node2"));
    Path manifest = dir.resolve("with-hostnetwork-pods.yaml");
    Files.writeString(manifest, YAML.writeValueAsString(list));
    aggregator = SandboxAggregator.start(sandbox, manifest);
  }

  private ObjectNode hostNetworkPod(String name, String node) {
    ObjectNode pod = JSON.createObjectNode();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata")
        .put("name", name)
        .put("namespace", "default")
        .put("uid", "hostnet-" + node);
    pod.putObject("spec").put("nodeName", node).put("hostNetwork", true);
    ObjectNode status = pod.putObject("status");
    status.put("phase", "Running").put("hostIP", sb.nodeIp(node)).put("podIP", sb.nodeIp(node));
    status.putArray("podIPs").addObject().put("ip", sb.nodeIp(node));
    return pod;
  }

  @AfterAll
  void stop() {
    if (aggregator != null) {
      aggregator.close();
    }
  }

  private record Run(int exit, JsonNode json, String text) {}

  private Run trace(String src, String dst, String... opts) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("--aggregator", aggregator.address(), "trace", src, dst, "-o", "json"));
    args.addAll(List.of(opts));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Commands.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args.toArray(String[]::new));
    assertThat(out.toString()).as("stderr: %s", err).isNotBlank();
    return new Run(exit, JSON.readTree(out.toString()), out + "\n" + err);
  }

  private static String forward(Run r) {
    return r.json().path("endpoints").get(0).path("forward").path("verdict").asText();
  }

  @Test
  void fromAHostNetworkPodTheTraceStartsInItsNodesKernelAndAgreesWithARealPacket()
      throws Exception {
    for (String dst : List.of("default/web-1", "default/web-2")) {
      Run r = trace("default/hostnet-1", dst, "--tcp", "--dst-port", "80");
      boolean real = sb.probe("node1", dst, Probe.tcp(80)).delivered();
      assertThat(real).as("the sandbox's node1 reaches %s", dst).isTrue();
      assertThat(r.json().path("source").asText())
          .as(r.text())
          .isEqualTo("default/hostnet-1 (hostNetwork on node1)");
      assertThat(forward(r)).as(r.text()).isEqualTo("DELIVERED");
      assertThat(r.json().path("endpoints").get(0).path("reply").path("verdict").asText())
          .as(r.text())
          .isEqualTo("DELIVERED");
      assertThat(r.exit()).as(r.text()).isZero();
    }
  }

  @Test
  void toAHostNetworkPodTheTraceIsTheOneToItsNode() throws Exception {
    Run r = trace("default/client-1", "default/hostnet-2", "--icmp");
    boolean real = sb.probe("default/client-1", "node2", Probe.icmp()).delivered();
    assertThat(r.json().path("endpoints").get(0).path("endpoint").asText())
        .as(r.text())
        .startsWith("default/hostnet-2 (hostNetwork on node2) node/node2");
    assertThat(real).as("the sandbox's client-1 reaches node2").isTrue();
    // As for node/node2: the model follows the packet out of node1 onto the underlay into
    // node2's kernel, which delivers it to its own stack; node2's stack answers.
    assertThat(forward(r)).as(r.text()).isEqualTo("DELIVERED");
    assertThat(r.json().path("endpoints").get(0).path("reply").path("verdict").asText())
        .as(r.text())
        .isEqualTo("DELIVERED");
    assertThat(r.json().path("reached").asBoolean()).as(r.text()).isEqualTo(real);
    assertThat(r.exit()).as(r.text()).isZero();
    Run asNode = trace("default/client-1", "node/node2", "--icmp");
    assertThat(forward(asNode)).as(asNode.text()).isEqualTo(forward(r));
    assertThat(r.json().path("endpoints").get(0).path("ip").asText()).isEqualTo(sb.nodeIp("node2"));
  }

  @Test
  void aLiveTraceFromAHostNetworkPodIsSentFromItsNodesStack() throws Exception {
    Run r = trace("default/hostnet-1", "default/web-2", "--tcp", "--dst-port", "80", "--live");
    assertThat(r.exit()).as(r.text()).isZero();
    assertThat(r.json().path("live").path("disagrees").asBoolean()).as(r.text()).isFalse();
    assertThat(r.json().path("live").path("outcome").asText()).as(r.text()).isEqualTo("REPLIED");
    assertThat(r.json().path("live").path("sendDetail").asText()).as(r.text()).contains("the node");
  }
}
