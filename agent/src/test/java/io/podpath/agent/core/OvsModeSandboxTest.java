package io.podpath.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.testkit.Mode;
import io.podpath.testkit.Node;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GetNode and InspectPod on plain OVS (no OVN settings, no ovn-controller): same agreement. */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 3, mode = Mode.OVS, apps = false)
class OvsModeSandboxTest {
  static Sandbox sandbox;
  static final Map<String, AgentRuntime> agents = new HashMap<>();
  static final Map<String, ManagedChannel> channels = new HashMap<>();

  @BeforeAll
  static void up(Sandbox sb) throws Exception {
    sandbox = sb;
    for (Node n : sandbox.nodes()) {
      AgentRuntime a = AgentCoreSandboxTest.startAgent(n, n.ovsRundir());
      agents.put(n.name(), a);
      channels.put(
          n.name(),
          NettyChannelBuilder.forAddress("127.0.0.1", a.grpcPort()).usePlaintext().build());
    }
  }

  @AfterAll
  static void down() throws Exception {
    channels.values().forEach(ManagedChannel::shutdownNow);
    agents.values().forEach(AgentRuntime::close);
  }

  static AgentServiceBlockingStub stub(String node) {
    return AgentServiceGrpc.newBlockingStub(channels.get(node))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  @Test
  void getNodeAndInspectPodAgreeWithTheRealToolsInOvsMode() throws Exception {
    assertThat(sandbox.mode()).isEqualTo(Mode.OVS);
    for (Node n : sandbox.nodes()) {
      Agreement.node(
          sandbox, n, stub(n.name()).getNode(GetNodeRequest.getDefaultInstance()), false);
    }
    for (Pod p : sandbox.pods()) {
      Agreement.pod(sandbox, p, stub(p.node()));
    }
  }
}
