package io.podpath.agent.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.trace.CtState;
import io.podpath.agent.trace.PacketHeaders;
import io.podpath.agent.trace.PodName;
import io.podpath.agent.trace.TraceSpec;
import io.podpath.agent.trace.TunnelMatch;
import io.podpath.proto.v1.CtFlag;
import io.podpath.proto.v1.CtStateSet;
import io.podpath.proto.v1.GeneveOption;
import io.podpath.proto.v1.HostIngress;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TunnelIngress;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TraceRequestsTest {
  private static final Packet TCP =
      Packet.newBuilder()
          .setSrcIp("10.244.1.4")
          .setDstIp("10.244.1.3")
          .setProtocol(Protocol.PROTOCOL_TCP)
          .setDstPort(80)
          .build();

  private static TraceNodeRequest host(HostIngress.Kind kind, String iface, Packet p) {
    return TraceNodeRequest.newBuilder()
        .setHost(HostIngress.newBuilder().setKind(kind).setInterface(iface))
        .setPacket(p)
        .build();
  }

  @Test
  void localHostWithoutSourceLeavesTheChoiceToTheKernel() throws Exception {
    TraceSpec s =
        TraceRequests.fromProto(
            host(HostIngress.Kind.KIND_LOCAL, "", TCP.toBuilder().clearSrcIp().build()));
    assertThat(s.ingress()).isEqualTo(new TraceSpec.FromHost());
    assertThat(s.packet().src()).isEqualTo(InetAddress.getByName("0.0.0.0"));
    assertThat(s.packet().dstPort()).isEqualTo(80);
  }

  @Test
  void localHostKeepsAGivenSource() throws Exception {
    TraceSpec s = TraceRequests.fromProto(host(HostIngress.Kind.KIND_LOCAL, "", TCP));
    assertThat(s.packet().src()).isEqualTo(InetAddress.getByName("10.244.1.4"));
  }

  @Test
  void uplinkIngressFindsOrNamesItsInterfaceAndNeedsASource() throws Exception {
    TraceSpec s = TraceRequests.fromProto(host(HostIngress.Kind.KIND_UPLINK, "", TCP));
    assertThat(s.ingress()).isEqualTo(new TraceSpec.FromUplink(Optional.empty()));
    assertThat(s.packet().src()).isEqualTo(InetAddress.getByName("10.244.1.4"));
    assertThat(TraceRequests.fromProto(host(HostIngress.Kind.KIND_UPLINK, "br-phy", TCP)).ingress())
        .isEqualTo(new TraceSpec.FromUplink(Optional.of("br-phy")));
    assertThatThrownBy(
            () -> TraceRequests.fromProto(host(HostIngress.Kind.KIND_UPLINK, "eth0;rm", TCP)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("host.interface");
    assertThatThrownBy(
            () ->
                TraceRequests.fromProto(
                    host(HostIngress.Kind.KIND_UPLINK, "", TCP.toBuilder().clearSrcIp().build())))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("packet.src_ip");
    Packet v6 =
        Packet.newBuilder()
            .setSrcIp("fd00::1")
            .setDstIp("fd00::2")
            .setProtocol(Protocol.PROTOCOL_ICMP)
            .build();
    // an IPv6 packet from outside is taken as it is
    assertThat(TraceRequests.fromProto(host(HostIngress.Kind.KIND_UPLINK, "", v6)).packet().src())
        .isEqualTo(InetAddress.getByName("fd00::1"));
  }

  @Test
  void hostIngressRefusesALocalInterfaceAndLetsTheKernelChooseTheSourceInBothFamilies()
      throws Exception {
    assertThatThrownBy(
            () -> TraceRequests.fromProto(host(HostIngress.Kind.KIND_UNSPECIFIED, "", TCP)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("KIND_LOCAL");
    assertThatThrownBy(
            () -> TraceRequests.fromProto(host(HostIngress.Kind.KIND_LOCAL, "eth0", TCP)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("host.interface");
    Packet v6 = Packet.newBuilder().setDstIp("fd00::2").setProtocol(Protocol.PROTOCOL_ICMP).build();
    // no source: the kernel chooses it, from :: for an IPv6 destination
    assertThat(TraceRequests.fromProto(host(HostIngress.Kind.KIND_LOCAL, "", v6)).packet().src())
        .isEqualTo(InetAddress.getByName("::"));
  }

  @Test
  void podRequestGetsDefaults() {
    TraceSpec s =
        TraceRequests.fromProto(
            TraceNodeRequest.newBuilder()
                .setPod(PodRef.newBuilder().setNamespace("default").setName("client-1"))
                .setPacket(TCP)
                .addCtNext(
                    CtStateSet.newBuilder()
                        .addFlags(CtFlag.CT_FLAG_TRK)
                        .addFlags(CtFlag.CT_FLAG_EST))
                .build());
    assertThat(s.ingress()).isEqualTo(new TraceSpec.FromPod(new PodName("default", "client-1")));
    assertThat(s.packet().srcPort()).isEqualTo(PacketHeaders.DEFAULT_SRC_PORT);
    assertThat(s.packet().ttl()).isEqualTo(64);
    assertThat(s.ctNext()).hasSize(1);
  }

  @Test
  void icmpDefaultsToEchoRequestOfItsFamily() {
    Packet icmp6 =
        Packet.newBuilder()
            .setSrcIp("fd00::1")
            .setDstIp("fd00::2")
            .setProtocol(Protocol.PROTOCOL_ICMP)
            .build();
    TraceSpec s =
        TraceRequests.fromProto(
            TraceNodeRequest.newBuilder()
                .setPod(PodRef.newBuilder().setNamespace("a").setName("b"))
                .setPacket(icmp6)
                .build());
    assertThat(s.packet().icmpType()).isEqualTo(128);
  }

  @Test
  void tunnelRequestIsTyped() {
    TraceSpec s =
        TraceRequests.fromProto(
            TraceNodeRequest.newBuilder()
                .setTunnel(
                    TunnelIngress.newBuilder()
                        .setTunSrc("172.31.3.11")
                        .setTunDst("172.31.3.12")
                        .setTunId(3)
                        .addGeneveOptions(
                            GeneveOption.newBuilder()
                                .setOptionClass(0x102)
                                .setType(0x80)
                                .setValue(ByteString.copyFrom(new byte[] {0, 1, 0, 2}))))
                .setPacket(TCP)
                .build());
    TunnelMatch t = ((TraceSpec.FromTunnel) s.ingress()).match();
    assertThat(t.geneveOptions().get(0).valueAsLong()).isEqualTo(0x10002);
  }

  @Test
  void badFieldsAreNamed() {
    assertThatThrownBy(
            () -> TraceRequests.fromProto(TraceNodeRequest.newBuilder().setPacket(TCP).build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("ingress");
    assertThatThrownBy(
            () ->
                TraceRequests.fromProto(
                    TraceNodeRequest.newBuilder()
                        .setPod(PodRef.newBuilder().setNamespace("Bad_NS").setName("x"))
                        .setPacket(TCP)
                        .build()))
        .hasMessageContaining("pod.namespace");
    assertThatThrownBy(
            () ->
                TraceRequests.fromProto(
                    TraceNodeRequest.newBuilder()
                        .setPod(PodRef.newBuilder().setNamespace("a").setName("b"))
                        .setPacket(TCP.toBuilder().setDstPort(0))
                        .build()))
        .hasMessageContaining("packet.dst_port");
    assertThatThrownBy(
            () ->
                TraceRequests.fromProto(
                    TraceNodeRequest.newBuilder()
                        .setPod(PodRef.newBuilder().setNamespace("a").setName("b"))
                        .setPacket(TCP.toBuilder().setSrcMac("x; rm -rf /"))
                        .build()))
        .hasMessageContaining("packet.src_mac");
    assertThatThrownBy(
            () ->
                TraceRequests.fromProto(
                    TraceNodeRequest.newBuilder()
                        .setPod(PodRef.newBuilder().setNamespace("a").setName("b"))
                        .setPacket(TCP)
                        .addCtNext(CtStateSet.newBuilder())
                        .build()))
        .hasMessageContaining("ct_next[0]");
  }

  @Test
  void contradictoryConntrackFlagsAreRefusedNamingTheFieldAndTheRule() {
    assertThatThrownBy(
            () ->
                TraceRequests.fromProto(
                    TraceNodeRequest.newBuilder()
                        .setPod(PodRef.newBuilder().setNamespace("a").setName("b"))
                        .setPacket(TCP)
                        .addCtNext(
                            CtStateSet.newBuilder()
                                .addFlags(CtFlag.CT_FLAG_TRK)
                                .addFlags(CtFlag.CT_FLAG_NEW)
                                .addFlags(CtFlag.CT_FLAG_EST))
                        .build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("ct_next[0]")
        .hasMessageContaining("trk,new,est")
        .hasMessageContaining("new and est exclude each other");
    // what the aggregator sends for a reply is accepted
    assertThat(
            TraceRequests.contradiction(
                java.util.EnumSet.of(CtState.TRK, CtState.EST, CtState.RPL)))
        .isEmpty();
  }

  @Test
  void aLoadBalancerBackendIsOfThePacketsFamilyWithAPort() {
    TraceNodeRequest.Builder r =
        TraceNodeRequest.newBuilder()
            .setPod(PodRef.newBuilder().setNamespace("default").setName("web-1"))
            .setPacket(TCP);
    assertThat(TraceRequests.fromProto(r.build()).lbBackend()).isEmpty();
    TraceSpec s =
        TraceRequests.fromProto(
            r.setLbBackend(
                    io.podpath.proto.v1.LbBackend.newBuilder().setIp("10.244.1.3").setPort(80))
                .build());
    assertThat(s.lbBackend().orElseThrow().port()).isEqualTo(80);
    assertThat(s.lbBackend().get().ip().getHostAddress()).isEqualTo("10.244.1.3");
    assertThatThrownBy(
            () ->
                TraceRequests.fromProto(
                    r.setLbBackend(
                            io.podpath.proto.v1.LbBackend.newBuilder().setIp("fd00::3").setPort(80))
                        .build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("lb_backend.ip");
    assertThatThrownBy(
            () ->
                TraceRequests.fromProto(
                    r.setLbBackend(io.podpath.proto.v1.LbBackend.newBuilder().setIp("10.244.1.3"))
                        .build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("lb_backend.port");
  }
}
