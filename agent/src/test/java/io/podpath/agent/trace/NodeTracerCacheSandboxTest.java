package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.testkit.Mode;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent keeps OVS state (OVSDB monitor), dpif/show and OVN rows between traces: a change made
 * on the real node must be in the very next trace, with no wait in between. Each change is made
 * while the agent's caches are warm.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, mode = Mode.OVN, apps = false)
class NodeTracerCacheSandboxTest {
  static TraceSandbox sandbox;
  static AgentRuntime agent;
  static ManagedChannel channel;

  @BeforeAll
  static void up(Sandbox s) throws Exception {
    sandbox = TraceSandbox.of(s);
    JsonNode n = sandbox.node("node1");
    agent =
        AgentRuntime.start(
            AgentOptions.loopback(
                "node1",
                Path.of(n.get("ovsRundir").asText()),
                Optional.of(Path.of("/var/run/netns", n.get("netns").asText())),
                8));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", agent.grpcPort()).usePlaintext().build();
  }

  @AfterAll
  static void down() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (agent != null) {
      agent.close();
    }
  }

  static NodeTrace trace(String from, String to) {
    return AgentServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .traceNode(
            TraceNodeRequest.newBuilder()
                .setPod(PodRef.newBuilder().setNamespace("default").setName(from))
                .setPacket(
                    Packet.newBuilder()
                        .setSrcIp(pod(from).get("ip").asText())
                        .setDstIp(pod(to).get("ip").asText())
                        .setProtocol(Protocol.PROTOCOL_TCP)
                        .setDstPort(80))
                .setIncludeRaw(true)
                .build());
  }

  static JsonNode pod(String name) {
    for (JsonNode p : sandbox.json.get("pods")) {
      if (p.get("name").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no pod " + name);
  }

  static String vsctl(String... args) throws Exception {
    String[] argv = new String[args.length + 3];
    argv[0] = "ovs-vsctl";
    argv[1] = "--timeout=20";
    argv[2] = "--db=unix:" + sandbox.node("node1").get("ovsRundir").asText() + "/db.sock";
    System.arraycopy(args, 0, argv, 3, args.length);
    return TraceSandbox.tool(argv);
  }

  static void assertDelivered(NodeTrace t, String pod, int ofport) {
    assertThat(t.getOutcome().getKind()).as(t.getRaw()).isEqualTo(TraceOutcome.Kind.KIND_LOCAL_POD);
    assertThat(t.getOutcome().getPod().getName()).as(t.getRaw()).isEqualTo(pod);
    assertThat(t.getOutcome().getOfport()).as(t.getRaw()).isEqualTo(ofport);
  }

  @Test
  void aPodPortRemovedAndReAddedWithANewOfportIsInTheNextTrace() throws Exception {
    JsonNode client = pod("client-1");
    String hif = client.get("hostInterface").asText();
    int ofport = Integer.parseInt(vsctl("get", "interface", hif, "ofport"));
    assertDelivered(trace("web-1", "client-1"), "client-1", ofport);
    String ids = vsctl("get", "interface", hif, "external_ids");

    for (int round = 1; round <= 3; round++) {
      vsctl("del-port", "br-int", hif);
      try {
        trace("client-1", "web-1");
        throw new AssertionError("round " + round + ": traced from a pod whose port is gone");
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(e.getStatus().getDescription()).contains("default_client-1");
      }

      int fresh = 40 + round;
      vsctl(
          "add-port",
          "br-int",
          hif,
          "--",
          "set",
          "interface",
          hif,
          "external_ids=" + ids,
          "ofport_request=" + fresh);
      // the flow is built from OVSDB: the new ofport, at once
      NodeTrace out = trace("client-1", "web-1");
      assertThat(out.getFlow()).as("round " + round).contains("in_port=" + fresh + ",");
      // delivering to it needs ovn-controller's flows for the new port; then the datapath port
      // number (dpif/show) must be the new one too
      vsctl("wait-until", "interface", hif, "external_ids:ovn-installed=true");
      assertDelivered(trace("web-1", "client-1"), "client-1", fresh);
      assertDelivered(trace("client-1", "web-1"), "web-1", pod1Ofport("web-1"));
    }
  }

  static int pod1Ofport(String name) throws Exception {
    return Integer.parseInt(
        vsctl("get", "interface", pod(name).get("hostInterface").asText(), "ofport"));
  }

  @Test
  void aPolicyAddedAndRemovedIsInTheNextTrace() throws Exception {
    int web1 = pod1Ofport("web-1");
    assertDelivered(trace("client-1", "web-1"), "web-1", web1);
    try {
      for (int round = 1; round <= 2; round++) {
        sandbox.sandbox("policy", "deny-ingress", "default/web-1");
        NodeTrace denied = trace("client-1", "web-1");
        assertThat(denied.getOutcome().getKind())
            .as("round " + round + "\n" + denied.getRaw())
            .isEqualTo(TraceOutcome.Kind.KIND_DROPPED);
        assertThat(denied.getOutcome().getDrop().getNetworkPolicy().getName())
            .isEqualTo("deny-ingress-web-1");
        sandbox.sandbox("policy", "clear");
        assertDelivered(trace("client-1", "web-1"), "web-1", web1);
      }
    } finally {
      sandbox.sandbox("policy", "clear");
    }
  }
}
