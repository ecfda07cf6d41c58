package io.podpath.agent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Probe's status codes for destinations (issue 22: they were UNAVAILABLE, as if the agent were
 * broken). An address no single host answers is INVALID_ARGUMENT on destination_ip before anything
 * runs; a destination the pod's real kernel will not send to (a route of type unreachable, the pod
 * network's broadcast address, IPv6 in an IPv4-only pod) is the probe's answer: OK, delivered =
 * false, saying it was not sent and the kernel's reason. After each, the same agent still delivers
 * a real probe.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 1, apps = false)
class ProbeDestinationSandboxTest {
  static Sandbox sandbox;
  static AgentRuntime agent;
  static ManagedChannel channel;

  @BeforeAll
  static void up(Sandbox sb) throws Exception {
    sandbox = sb;
    Node n = sb.node("node1");
    agent =
        AgentRuntime.start(
            AgentOptions.loopback(
                    n.name(), n.ovsRundir(), Optional.of(Path.of("/var/run/netns", n.netns())), 8)
                // the test's documentation prefixes lie outside the cluster on purpose
                .toBuilder()
                .probeAllow(List.of(IpPrefix.parse("198.51.100.0/24"), IpPrefix.parse("fd00::/64")))
                .build());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", agent.grpcPort()).usePlaintext().build();
  }

  @AfterAll
  static void down() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (agent != null) {
      agent.close();
    }
  }

  static ProbeResult probe(Pod from, String dst, Protocol proto) {
    ProbeRequest.Builder r =
        ProbeRequest.newBuilder()
            .setSource(PodRef.newBuilder().setNamespace(from.namespace()).setName(from.name()))
            .setDestinationIp(dst)
            .setProtocol(proto)
            .setTimeoutMillis(1000);
    if (proto != Protocol.PROTOCOL_ICMP) {
      r.setDstPort(proto == Protocol.PROTOCOL_TCP ? 80 : 53);
    }
    return AgentServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .probe(r.build());
  }

  static final List<Protocol> ALL =
      List.of(Protocol.PROTOCOL_ICMP, Protocol.PROTOCOL_TCP, Protocol.PROTOCOL_UDP);

  @Test
  void anAddressNoSingleHostAnswersIsInvalidArgumentNamingTheField() {
    Pod p = sandbox.pod("default/client-1");
    for (String dst : List.of("255.255.255.255", "224.0.0.1", "0.0.0.0", "::", "ff02::1")) {
      for (Protocol proto : ALL) {
        assertThatThrownBy(() -> probe(p, dst, proto))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode())
                      .as(dst + " " + proto)
                      .isEqualTo(Status.Code.INVALID_ARGUMENT);
                  assertThat(e.getStatus().getDescription())
                      .startsWith("destination_ip: ")
                      .contains("unicast");
                });
      }
    }
    assertStillDelivers(p);
  }

  @Test
  void aDestinationThePodsKernelWillNotSendToIsAnAnswerNotAnError() throws Exception {
    Pod p = sandbox.pod("default/client-1");
    JsonNode addr =
        Sh.json("ip", "-n", p.netns(), "-j", "addr", "show", "eth0").get(0).get("addr_info").get(0);
    String broadcast = broadcastOf(addr.get("local").asText(), addr.get("prefixlen").asInt());
    // a route of type unreachable, in the pod's own namespace, for a documentation prefix
    Sh.run("ip", "-n", p.netns(), "route", "add", "unreachable", "198.51.100.0/24");
    try {
      for (String dst : List.of(broadcast, "198.51.100.7", "fd00::7")) {
        for (Protocol proto : ALL) {
          ProbeResult r = probe(p, dst, proto);
          assertThat(r.getDelivered()).as(dst + " " + proto).isFalse();
          assertThat(r.getDetail()).as(dst + " " + proto).contains("not sent");
        }
      }
      assertThat(probe(p, "198.51.100.7", Protocol.PROTOCOL_TCP).getDetail())
          .contains("No route to host");
    } finally {
      Sh.run("ip", "-n", p.netns(), "route", "del", "unreachable", "198.51.100.0/24");
    }
    assertStillDelivers(p);
  }

  private static void assertStillDelivers(Pod p) {
    Pod web = sandbox.pod("default/web-1");
    ProbeResult ok = probe(p, web.ip(), Protocol.PROTOCOL_ICMP);
    assertThat(ok.getDelivered()).as(ok.getDetail()).isTrue();
  }

  private static String broadcastOf(String ip, int prefix) throws Exception {
    byte[] b = InetAddress.getByName(ip).getAddress();
    int v = ((b[0] & 255) << 24) | ((b[1] & 255) << 16) | ((b[2] & 255) << 8) | (b[3] & 255);
    int bc = v | (prefix == 32 ? 0 : -1 >>> prefix);
    return ((bc >>> 24) & 255)
        + "."
        + ((bc >>> 16) & 255)
        + "."
        + ((bc >>> 8) & 255)
        + "."
        + (bc & 255);
  }
}
