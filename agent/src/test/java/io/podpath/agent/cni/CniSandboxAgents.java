package io.podpath.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Severity;
import io.podpath.testkit.Node;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Agents on a CNI-mode sandbox's nodes (auto-detecting the CNI), and what they say checked against
 * {@code ip -j} and {@code ovs-vsctl}: the sandbox's truth.
 */
final class CniSandboxAgents implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, AgentRuntime> agents = new HashMap<>();
  private final Map<String, ManagedChannel> channels = new HashMap<>();

  CniSandboxAgents(Sandbox sb) throws Exception {
    for (Node n : sb.nodes()) {
      AgentRuntime a =
          AgentRuntime.start(
              AgentOptions.loopback(
                  n.name(), n.ovsRundir(), Optional.of(Path.of("/var/run/netns", n.netns())), 8));
      agents.put(n.name(), a);
      channels.put(
          n.name(),
          NettyChannelBuilder.forAddress("127.0.0.1", a.grpcPort()).usePlaintext().build());
    }
  }

  AgentServiceBlockingStub stub(String node) {
    return AgentServiceGrpc.newBlockingStub(channels.get(node))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    agents.values().forEach(AgentRuntime::close);
  }

  /** GetNode names the detected CNI and starts traces on the bridge that holds the pods. */
  static void node(NodeInfo info, Node n, String cni, String podBridge) {
    assertThat(info.getNodeName()).isEqualTo(n.name());
    assertThat(info.getCni()).isEqualTo(cni);
    assertThat(info.getCniEvidenceList()).isNotEmpty();
    assertThat(info.getIntegrationBridge()).isEqualTo(podBridge);
  }

  static PodInspection inspect(AgentServiceBlockingStub stub, Pod p) {
    return stub.inspectPod(
        InspectPodRequest.newBuilder()
            .setPod(PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name()))
            .setPodIp(p.ip())
            .build());
  }

  /** InspectPod (by name + the pod's IP) agrees with the kernel and OVSDB, field by field. */
  static PodInspection pod(Sandbox sb, Pod p, AgentServiceBlockingStub stub, String cni)
      throws Exception {
    Node n = sb.node(p.node());
    PodInspection i = inspect(stub, p);
    String what = p.ref();
    assertThat(i.getFindingsList())
        .as(what)
        .noneMatch(f -> f.getSeverity() != Severity.SEVERITY_INFO);
    assertThat(i.getCni()).isEqualTo(cni);
    assertThat(i.getPod().getNamespace() + "/" + i.getPod().getName()).isEqualTo(what);
    assertThat(i.getNode()).isEqualTo(p.node());
    assertThat(i.getNetns()).as(what).isEqualTo("/var/run/netns/" + p.netns());
    JsonNode eth0 = json("ip", "-n", p.netns(), "-j", "addr", "show", "dev", "eth0").get(0);
    assertThat(i.getPodInterface()).isEqualTo("eth0");
    assertThat(i.getIfindex()).as(what).isEqualTo(eth0.get("ifindex").asInt());
    assertThat(i.getIflink()).as(what).isEqualTo(eth0.get("link_index").asInt());
    assertThat(i.getMac()).as(what).isEqualTo(eth0.get("address").asText()).isEqualTo(p.mac());
    assertThat(i.getMtu()).as(what).isEqualTo(eth0.get("mtu").asInt());
    List<String> ips = new ArrayList<>();
    eth0.get("addr_info")
        .forEach(
            a -> {
              if (!a.path("scope").asText().equals("link")) {
                ips.add(a.get("local").asText());
              }
            });
    assertThat(i.getIpsList()).as(what).containsExactlyElementsOf(ips).contains(p.ip());
    JsonNode veth =
        json("ip", "-n", n.netns(), "-j", "link", "show", "dev", p.hostInterface()).get(0);
    assertThat(i.getHostInterface()).as(what).isEqualTo(p.hostInterface());
    assertThat(i.getHostIfindex())
        .as(what)
        .isEqualTo(veth.get("ifindex").asInt())
        .isEqualTo(i.getIflink());
    assertThat(veth.get("link_index").asInt()).as(what).isEqualTo(i.getIfindex());
    assertThat(String.valueOf(i.getOfport()))
        .isEqualTo(vsctl(n, "get", "Interface", p.hostInterface(), "ofport"));
    assertThat(i.getOvsPort()).isEqualTo(vsctl(n, "get", "Port", p.hostInterface(), "name"));
    assertThat(i.getBridge()).isEqualTo(vsctl(n, "port-to-br", p.hostInterface()));
    return i;
  }

  static String vsctl(Node n, String... args) throws Exception {
    List<String> argv =
        new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + n.ovsRundir().resolve("db.sock")));
    argv.addAll(List.of(args));
    return run(argv.toArray(String[]::new)).strip().replace("\"", "");
  }

  static JsonNode json(String... argv) throws Exception {
    return JSON.readTree(run(argv));
  }

  static String run(String... argv) throws Exception {
    Path log = Files.createTempFile("podpath-cni-ref", ".out");
    try {
      Process p =
          new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(List.of(argv) + " timed out");
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError(List.of(argv) + " exited " + p.exitValue() + ":\n" + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /**
   * GetNode names {@code cni} and {@code podBridge} on every node, and InspectPod of every pod by
   * name and IP agrees with the kernel and OVSDB, and with InspectPod by name alone (for CNIs that
   * write the pod's name into OVSDB).
   */
  void everyPodAgreesByName(Sandbox sb, String cni, String podBridge) throws Exception {
    for (Node n : sb.nodes()) {
      node(stub(n.name()).getNode(GetNodeRequest.getDefaultInstance()), n, cni, podBridge);
    }
    for (Pod p : sb.pods()) {
      PodInspection i = pod(sb, p, stub(p.node()), cni);
      assertThat(i.getBridge()).isEqualTo(podBridge);
      PodInspection byName =
          stub(p.node())
              .inspectPod(
                  InspectPodRequest.newBuilder()
                      .setPod(PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name()))
                      .build());
      assertThat(byName).isEqualTo(i);
    }
  }

  /**
   * For a CNI whose OVSDB names no pod (SDN, ACI): GetNode and InspectPod agree with the real
   * tools, and InspectPod by the pod's IP alone finds the same port and namespace, naming no pod.
   */
  void everyPodAgreesByIpAlone(Sandbox sb, String cni, String podBridge) throws Exception {
    for (Node n : sb.nodes()) {
      node(stub(n.name()).getNode(GetNodeRequest.getDefaultInstance()), n, cni, podBridge);
    }
    for (Pod p : sb.pods()) {
      PodInspection i = pod(sb, p, stub(p.node()), cni);
      assertThat(i.getBridge()).isEqualTo(podBridge);
      PodInspection byIp =
          stub(p.node()).inspectPod(InspectPodRequest.newBuilder().setIp(p.ip()).build());
      assertThat(byIp.toBuilder().clearPod().build()).isEqualTo(i.toBuilder().clearPod().build());
      assertThat(byIp.getPod().getName()).isEmpty();
    }
  }

  /**
   * The last pod's port loses the CNI's own mark ({@code table} {@code key=value}, e.g. Port
   * antrea-type=container): the agent still maps it by ifindex and warns {@code
   * pod-port-unconfirmed} naming the mark; the mark is put back afterwards.
   */
  void strippedMarkIsStillMappedAndFlagged(Sandbox sb, String table, String key, String value)
      throws Exception {
    Pod p = sb.pods().get(sb.pods().size() - 1);
    Node n = sb.node(p.node());
    assertThat(vsctl(n, "get", table, p.hostInterface(), "external_ids"))
        .contains(key + "=" + value);
    vsctl(n, "remove", table, p.hostInterface(), "external_ids", key);
    try {
      PodInspection i = inspect(stub(p.node()), p);
      assertThat(i.getHostInterface()).isEqualTo(p.hostInterface());
      assertThat(i.getFindingsList())
          .anySatisfy(
              f -> {
                assertThat(f.getSeverity()).isEqualTo(Severity.SEVERITY_WARNING);
                assertThat(f.getCode()).isEqualTo("pod-port-unconfirmed");
                assertThat(f.getMessage()).contains(key + "=" + value);
              });
    } finally {
      vsctl(n, "set", table, p.hostInterface(), "external_ids:" + key + "=" + value);
    }
  }
}
