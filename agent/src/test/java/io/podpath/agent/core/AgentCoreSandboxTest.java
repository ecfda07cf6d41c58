package io.podpath.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.testkit.Node;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Promtool;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sandbox proof of GetNode and InspectPod: 3 nodes in OVN mode, one in-JVM agent per node (each
 * reading its node through --host-netns), compared field by field with ip -j in the pod netns and
 * ovs-vsctl in the node netns.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 3, apps = false)
class AgentCoreSandboxTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static Sandbox sandbox;
  static final Map<String, AgentRuntime> agents = new HashMap<>();
  static final Map<String, ManagedChannel> channels = new HashMap<>();

  @BeforeAll
  static void up(Sandbox sb) throws Exception {
    sandbox = sb;
    for (Node n : sandbox.nodes()) {
      agents.put(n.name(), startAgent(n, n.ovsRundir()));
      channels.put(
          n.name(),
          NettyChannelBuilder.forAddress("127.0.0.1", agents.get(n.name()).grpcPort())
              .usePlaintext()
              .build());
    }
  }

  static AgentRuntime startAgent(Node n, Path rundir) throws Exception {
    return AgentRuntime.start(
        AgentOptions.loopback(
            n.name(), rundir, Optional.of(Path.of("/var/run/netns", n.netns())), 8));
  }

  @AfterAll
  static void down() throws Exception {
    channels.values().forEach(ManagedChannel::shutdownNow);
    agents.values().forEach(AgentRuntime::close);
    agents.clear();
    channels.clear();
  }

  static AgentServiceBlockingStub stub(String node) {
    return AgentServiceGrpc.newBlockingStub(channels.get(node))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  static String vsctl(Node n, String... args) throws Exception {
    return Sh.vsctl(n, args);
  }

  @Test
  void getNodeAgreesWithOvsdbAndTheNodeKernel() throws Exception {
    for (Node n : sandbox.nodes()) {
      Agreement.node(sandbox, n, stub(n.name()).getNode(GetNodeRequest.getDefaultInstance()), true);
    }
  }

  @Test
  void inspectPodAgreesFieldByFieldWithIpAndOvsVsctlForEveryPod() throws Exception {
    assertThat(sandbox.pods()).hasSizeGreaterThanOrEqualTo(6);
    for (Pod p : sandbox.pods()) {
      Agreement.pod(sandbox, p, stub(p.node()));
    }
  }

  @Test
  void podsOfOtherNodesAndUnknownPodsAreNotFound() {
    Pod remote =
        sandbox.pods().stream().filter(p -> !p.node().equals("node1")).findFirst().orElseThrow();
    for (InspectPodRequest r :
        List.of(
            InspectPodRequest.newBuilder()
                .setPod(PodRef.newBuilder().setNamespace(remote.namespace()).setName(remote.name()))
                .build(),
            InspectPodRequest.newBuilder()
                .setPod(PodRef.newBuilder().setNamespace("default").setName("no-such-pod"))
                .build(),
            InspectPodRequest.newBuilder().setIp(remote.ip()).build())) {
      try {
        stub("node1").inspectPod(r);
        throw new AssertionError("found " + r);
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(e.getStatus().getDescription()).contains("node1");
      }
    }
  }

  @Test
  void metricsHealthAndReadinessAreServed() throws Exception {
    stub("node1").getNode(GetNodeRequest.getDefaultInstance());
    HttpClient http = HttpClient.newHttpClient();
    int port = agents.get("node1").httpPort();
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("grpc_server_requests_received_messages")
        .contains("GetNode")
        .contains("podpath_agent_commands_seconds_count{binary=\"ip\",outcome=\"ok\"}");
    // What a Prometheus scrape sees, linted by Prometheus itself (label names in snake_case, …).
    Promtool.Lint lint = Promtool.checkMetrics(metrics.body());
    assertThat(lint.clean()).as(lint.output()).isTrue();
    for (String path : List.of("/healthz", "/readyz")) {
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .as(path)
          .isEqualTo(200);
    }
  }

  static PodInspection inspect(String node, String ns, String name) {
    return stub(node)
        .inspectPod(
            InspectPodRequest.newBuilder()
                .setPod(PodRef.newBuilder().setNamespace(ns).setName(name))
                .build());
  }

  @Test
  void brokenPlumbingComesBackAsFindingsNotErrors() throws Exception {
    Node n = sandbox.node("node1");
    Pod client =
        sandbox.pods().stream()
            .filter(p -> p.node().equals("node1") && p.name().startsWith("client"))
            .findFirst()
            .orElseThrow();
    // an OVS port for a pod whose device does not exist
    vsctl(
        n,
        "add-port",
        "br-int",
        "acghost0",
        "--",
        "set",
        "Interface",
        "acghost0",
        "external_ids:iface-id=default_ghost");
    // a pod port whose veth peer sits in the node netns itself: no pod netns has it
    Sh.run(
        "ip", "-n", n.netns(), "link", "add", "acorph0", "type", "veth", "peer", "name", "acorph1");
    vsctl(
        n,
        "add-port",
        "br-int",
        "acorph0",
        "--",
        "set",
        "Interface",
        "acorph0",
        "external_ids:iface-id=default_orphan");
    // the host veth MTU no longer matches the pod's eth0
    Sh.run("ip", "-n", n.netns(), "link", "set", client.hostInterface(), "mtu", "1300");
    try {
      PodInspection ghost = inspect("node1", "default", "ghost");
      assertThat(ghost.getFindingsList())
          .extracting(f -> f.getCode())
          .contains("ofport-invalid", "host-interface-missing", "interface-error");
      assertThat(ghost.getNetns()).isEmpty();
      PodInspection orphan = inspect("node1", "default", "orphan");
      assertThat(orphan.getFindingsList()).extracting(f -> f.getCode()).contains("netns-unproven");
      assertThat(orphan.getHostInterface()).isEqualTo("acorph0");
      PodInspection mtu = inspect("node1", client.namespace(), client.name());
      assertThat(mtu.getFindingsList())
          .extracting(f -> f.getCode())
          .containsExactly("mtu-mismatch");
      assertThat(mtu.getMtu()).isEqualTo(1400);
    } finally {
      Sh.run(
          "ip",
          "-n",
          n.netns(),
          "link",
          "set",
          client.hostInterface(),
          "mtu",
          String.valueOf(sandbox.spec().podMtu()));
      vsctl(n, "--if-exists", "del-port", "br-int", "acghost0");
      vsctl(n, "--if-exists", "del-port", "br-int", "acorph0");
      Sh.run("ip", "-n", n.netns(), "link", "del", "acorph0");
    }
  }

  @Test
  void tlsServerRequiresAClientCertificateFromTheCa() throws Exception {
    Node n = sandbox.node("node1");
    Path tls = sandbox.tlsDir();
    try (AgentRuntime agent =
        AgentRuntime.start(
            AgentOptions.builder(n.name(), n.ovsRundir())
                .tls(
                    Optional.of(
                        new AgentOptions.TlsFiles(
                            tls.resolve("node1.crt"),
                            tls.resolve("node1.key"),
                            tls.resolve("ca.crt"))))
                .hostNetns(Optional.of(Path.of("/var/run/netns", n.netns())))
                .maxConcurrentCalls(4)
                .build())) {
      ChannelCredentials withCert =
          TlsChannelCredentials.newBuilder()
              .keyManager(
                  tls.resolve("aggregator.crt").toFile(), tls.resolve("aggregator.key").toFile())
              .trustManager(tls.resolve("ca.crt").toFile())
              .build();
      ManagedChannel ok =
          Grpc.newChannelBuilderForAddress("127.0.0.1", agent.grpcPort(), withCert)
              .overrideAuthority("node1")
              .build();
      ChannelCredentials noCert =
          TlsChannelCredentials.newBuilder().trustManager(tls.resolve("ca.crt").toFile()).build();
      ManagedChannel anonymous =
          Grpc.newChannelBuilderForAddress("127.0.0.1", agent.grpcPort(), noCert)
              .overrideAuthority("node1")
              .build();
      try {
        NodeInfo info =
            AgentServiceGrpc.newBlockingStub(ok)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getNode(GetNodeRequest.getDefaultInstance());
        assertThat(info.getNodeName()).isEqualTo("node1");
        try {
          AgentServiceGrpc.newBlockingStub(anonymous)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getNode(GetNodeRequest.getDefaultInstance());
          throw new AssertionError("served a client without a certificate");
        } catch (StatusRuntimeException e) {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        }
      } finally {
        ok.shutdownNow();
        anonymous.shutdownNow();
      }
    }
  }

  @Test
  void readinessFailsWhenOvsdbIsUnreachable() throws Exception {
    Node n = sandbox.node("node1");
    try (AgentRuntime agent = startAgent(n, sandbox.stateDir().resolve("no-such-rundir"))) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + agent.httpPort() + "/readyz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("no-such-rundir/db.sock");
    }
  }

  @Test
  void theWiredAgentServesEveryRpc() throws Exception {
    Node n = sandbox.node("node1");
    List<Pod> local = sandbox.pods().stream().filter(p -> p.node().equals("node1")).toList();
    Pod src = local.get(0);
    Pod dst = local.get(1);
    try (AgentRuntime agent =
        AgentRuntime.start(
            AgentOptions.loopback(
                n.name(), n.ovsRundir(), Optional.of(Path.of("/var/run/netns", n.netns())), 4))) {
      ManagedChannel ch =
          NettyChannelBuilder.forAddress("127.0.0.1", agent.grpcPort()).usePlaintext().build();
      try {
        AgentServiceBlockingStub stub =
            AgentServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
        PodRef from = PodRef.newBuilder().setNamespace(src.namespace()).setName(src.name()).build();
        NodeTrace trace =
            stub.traceNode(
                TraceNodeRequest.newBuilder()
                    .setPod(from)
                    .setPacket(
                        Packet.newBuilder()
                            .setSrcIp(src.ip())
                            .setDstIp(dst.ip())
                            .setProtocol(Protocol.PROTOCOL_TCP)
                            .setDstPort(80))
                    .build());
        assertThat(trace.getNode()).isEqualTo("node1");
        assertThat(trace.getOutcome().getKind()).isEqualTo(TraceOutcome.Kind.KIND_LOCAL_POD);
        CheckReport report = stub.runChecks(RunChecksRequest.getDefaultInstance());
        assertThat(report.getNode()).isEqualTo("node1");
        assertThat(report.getResultsList()).isNotEmpty();
        ProbeResult probe =
            stub.probe(
                ProbeRequest.newBuilder()
                    .setSource(from)
                    .setDestinationIp(dst.ip())
                    .setProtocol(Protocol.PROTOCOL_TCP)
                    .setDstPort(80)
                    .build());
        assertThat(probe.getDelivered()).as(probe.getDetail()).isTrue();
      } finally {
        ch.shutdownNow();
      }
    }
  }
}
