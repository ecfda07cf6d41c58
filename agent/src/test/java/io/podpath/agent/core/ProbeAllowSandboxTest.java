package io.podpath.agent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.podpath.agent.ip.IpPrefix;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.Protocol;
import io.podpath.testkit.Node;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Probes go only inside the cluster as the node sees it: a pod on another node and the Service
 * (routed by the management port) are delivered; the external host, on the node's own underlay
 * subnet, is PERMISSION_DENIED naming the flag, until the agent runs with --probe-allow for it.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, apps = false)
class ProbeAllowSandboxTest {

  static ProbeResult probe(AgentRuntime agent, String dst) {
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("127.0.0.1", agent.grpcPort()).usePlaintext().build();
    try {
      return AgentServiceGrpc.newBlockingStub(ch)
          .withDeadlineAfter(20, TimeUnit.SECONDS)
          .probe(
              ProbeRequest.newBuilder()
                  .setSource(PodRef.newBuilder().setNamespace("default").setName("client-1"))
                  .setDestinationIp(dst)
                  .setProtocol(Protocol.PROTOCOL_TCP)
                  .setDstPort(80)
                  .setTimeoutMillis(2000)
                  .build());
    } finally {
      ch.shutdownNow();
    }
  }

  static AgentRuntime agent(Sandbox sb, List<IpPrefix> allow) throws Exception {
    Node n = sb.node("node1");
    return AgentRuntime.start(
        AgentOptions.loopback(
                n.name(), n.ovsRundir(), Optional.of(Path.of("/var/run/netns", n.netns())), 8)
            .toBuilder()
            .probeAllow(allow)
            .build());
  }

  @Test
  void insideTheClusterByDefaultAndOutsideOnlyWithProbeAllow(Sandbox sb) throws Exception {
    String ext = sb.externalIp();
    try (AgentRuntime a = agent(sb, List.of())) {
      ProbeResult other = probe(a, sb.pod("default/web-2").ip());
      assertThat(other.getDelivered()).as(other.getDetail()).isTrue();
      ProbeResult svc = probe(a, sb.serviceIp());
      assertThat(svc.getDelivered()).as(svc.getDetail()).isTrue();
      assertThatThrownBy(() -> probe(a, ext))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                assertThat(e.getStatus().getDescription())
                    .contains(ext)
                    .contains("outside the cluster")
                    .contains("--probe-allow " + ext + "/32");
              });
    }
    // the real host answers the same probe once the operator allows it
    assertThat(sb.probe("default/client-1", "ext", io.podpath.testkit.Probe.tcp(80)).delivered())
        .isTrue();
    try (AgentRuntime a = agent(sb, List.of(IpPrefix.parse(ext + "/32")))) {
      ProbeResult r = probe(a, ext);
      assertThat(r.getDelivered()).as(r.getDetail()).isTrue();
    }
  }
}
