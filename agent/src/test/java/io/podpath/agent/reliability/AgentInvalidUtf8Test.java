package io.podpath.agent.reliability;

import static io.podpath.proto.grpc.InvalidUtf8Requests.INVALID;
import static io.podpath.proto.grpc.InvalidUtf8Requests.MARK;
import static io.podpath.proto.grpc.InvalidUtf8Requests.corrupt;
import static io.podpath.proto.grpc.InvalidUtf8Requests.raw;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TunnelIngress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid UTF-8 in string fields, sent as raw bytes (no Java client can build such a message): a
 * marker string in a valid request is replaced on the wire by bytes that are not UTF-8.
 */
class AgentInvalidUtf8Test {
  static RecordingAgent agent;

  // overlong '/'

  record Case(String name, MethodDescriptor<?, ?> method, Message template, String field) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    agent = new RecordingAgent();
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  static Stream<Case> cases() {
    Packet tcp =
        Packet.newBuilder()
            .setSrcIp("10.244.1.3")
            .setDstIp("10.244.2.3")
            .setProtocol(Protocol.PROTOCOL_TCP)
            .setDstPort(80)
            .build();
    List<Case> base =
        List.of(
            new Case(
                "InspectPod pod.namespace",
                AgentServiceGrpc.getInspectPodMethod(),
                InspectPodRequest.newBuilder()
                    .setPod(PodRef.newBuilder().setNamespace(MARK).setName("web-1"))
                    .build(),
                "pod.namespace"),
            new Case(
                "InspectPod pod.name",
                AgentServiceGrpc.getInspectPodMethod(),
                InspectPodRequest.newBuilder()
                    .setPod(PodRef.newBuilder().setNamespace("default").setName(MARK))
                    .build(),
                "pod.name"),
            new Case(
                "InspectPod ip",
                AgentServiceGrpc.getInspectPodMethod(),
                InspectPodRequest.newBuilder().setIp(MARK).build(),
                "ip"),
            new Case(
                "TraceNode packet.src_ip",
                AgentServiceGrpc.getTraceNodeMethod(),
                TraceNodeRequest.newBuilder()
                    .setPod(PodRef.newBuilder().setNamespace("default").setName("client-1"))
                    .setPacket(tcp.toBuilder().setSrcIp(MARK))
                    .build(),
                "packet.src_ip"),
            new Case(
                "TraceNode packet.dst_mac",
                AgentServiceGrpc.getTraceNodeMethod(),
                TraceNodeRequest.newBuilder()
                    .setPod(PodRef.newBuilder().setNamespace("default").setName("client-1"))
                    .setPacket(tcp.toBuilder().setDstMac(MARK))
                    .build(),
                "packet.dst_mac"),
            new Case(
                "TraceNode tunnel.tun_src",
                AgentServiceGrpc.getTraceNodeMethod(),
                TraceNodeRequest.newBuilder()
                    .setTunnel(TunnelIngress.newBuilder().setTunSrc(MARK).setTunDst("172.31.7.11"))
                    .setPacket(tcp)
                    .build(),
                "tunnel.tun_src"),
            new Case(
                "RunChecks check_ids",
                AgentServiceGrpc.getRunChecksMethod(),
                RunChecksRequest.newBuilder().addCheckIds(MARK).build(),
                "check_ids"),
            new Case(
                "Probe destination_ip",
                AgentServiceGrpc.getProbeMethod(),
                ProbeRequest.newBuilder()
                    .setSource(PodRef.newBuilder().setNamespace("default").setName("client-1"))
                    .setDestinationIp(MARK)
                    .setProtocol(Protocol.PROTOCOL_ICMP)
                    .build(),
                "destination_ip"));
    List<Case> out = new ArrayList<>();
    for (Case c : base) {
      for (int i = 0; i < INVALID.size(); i++) {
        out.add(new Case(c.name() + " bytes#" + i, c.method(), c.template(), c.field()));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void invalidUtf8IsInvalidArgumentNamingTheField(Case c) {
    int which = Integer.parseInt(c.name().substring(c.name().indexOf('#') + 1));
    byte[] body = corrupt(c.template(), INVALID.get(which));
    MethodDescriptor<byte[], byte[]> raw = raw(c.method());
    agent.drain();
    StatusRuntimeException e;
    try {
      ClientCalls.blockingUnaryCall(
          agent.channel(), raw, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), body);
      throw new AssertionError("call succeeded");
    } catch (StatusRuntimeException ex) {
      e = ex;
    }
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).startsWith(c.field() + ":");
    assertThat(agent.drain()).as("started by " + c.name()).isEmpty();
    AgentBadInputTest.agent = agent;
    AgentBadInputTest.assertServing();
  }
}
