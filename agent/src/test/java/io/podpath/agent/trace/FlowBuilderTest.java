package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.grpc.RequestValidator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlowBuilderTest {
  private static PacketHeaders packet(String src, String dst, L4Protocol p, int sp, int dp, int t) {
    return new PacketHeaders(
        InetAddresses.forString(src),
        InetAddresses.forString(dst),
        p,
        sp,
        dp,
        t,
        0,
        MacAddress.tryParse("0a:58:0a:f4:01:04"),
        MacAddress.tryParse("0A:58:0A:F4:01:01"),
        64);
  }

  @Test
  void tcpFromAPod() {
    TraceArgs a =
        FlowBuilder.build(
            new FlowRequest(
                "br-int",
                2,
                Optional.empty(),
                packet("10.244.1.4", "10.244.2.3", L4Protocol.TCP, 40000, 80, 0),
                List.of()));
    assertThat(a.params())
        .containsExactly(
            "br-int",
            "in_port=2,tcp,dl_src=0a:58:0a:f4:01:04,dl_dst=0a:58:0a:f4:01:01,nw_src=10.244.1.4,"
                + "nw_dst=10.244.2.3,nw_ttl=64,tcp_src=40000,tcp_dst=80");
  }

  @Test
  void udpUsesUdpPortFieldsBecauseOvsRejectsTpDst() {
    TraceArgs a =
        FlowBuilder.build(
            new FlowRequest(
                "br-int",
                2,
                Optional.empty(),
                packet("10.244.1.4", "10.96.0.10", L4Protocol.UDP, 40000, 53, 0),
                List.of()));
    assertThat(a.flow()).contains(",udp,").endsWith("udp_src=40000,udp_dst=53");
  }

  @Test
  void icmpv6AndSctpUseTheirOwnKeywords() {
    TraceArgs icmp6 =
        FlowBuilder.build(
            new FlowRequest(
                "br-int",
                3,
                Optional.empty(),
                packet("fd00:0:0::4", "fd00::3", L4Protocol.ICMP, 0, 0, 128),
                List.of()));
    assertThat(icmp6.flow())
        .contains(",icmp6,")
        .contains("ipv6_src=fd00::4,ipv6_dst=fd00::3")
        .endsWith("icmpv6_type=128,icmpv6_code=0");
    TraceArgs sctp =
        FlowBuilder.build(
            new FlowRequest(
                "br-int",
                3,
                Optional.empty(),
                packet("10.0.0.1", "10.0.0.2", L4Protocol.SCTP, 1, 2, 0),
                List.of()));
    assertThat(sctp.flow()).contains(",sctp,").endsWith("sctp_src=1,sctp_dst=2");
  }

  @Test
  void tunnelIngressCarriesKeyEndpointsAndOvnOption() {
    TunnelMatch t =
        new TunnelMatch(
            InetAddresses.forString("172.31.3.11"),
            InetAddresses.forString("172.31.3.12"),
            3,
            List.of(GeneveOption.ovn(0x10002)));
    TraceArgs a =
        FlowBuilder.build(
            new FlowRequest(
                "br-int",
                1,
                Optional.of(t),
                packet("10.244.1.4", "10.244.2.3", L4Protocol.TCP, 40000, 80, 0),
                List.of(EnumSet.of(CtState.EST, CtState.TRK), Set.of(CtState.NEW, CtState.TRK))));
    assertThat(a.flow())
        .startsWith(
            "in_port=1,tun_id=0x3,tun_src=172.31.3.11,tun_dst=172.31.3.12,tun_metadata0=0x10002,tcp,");
    assertThat(a.options()).containsExactly("--ct-next", "trk,est", "--ct-next", "trk,new");
  }

  @Test
  void invalidValuesNeverReachAFlow() {
    assertThatThrownBy(() -> RequestValidator.ip("web.default.svc", "packet.dst_ip"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("packet.dst_ip");
    assertThatThrownBy(() -> RequestValidator.ip("10.0.0.1,actions=drop", "packet.dst_ip"))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> RequestValidator.mac("0a:58:0a:f4:01:04,in_port=1", "packet.src_mac"))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> packet("10.0.0.1", "fd00::1", L4Protocol.TCP, 1, 2, 0))
        .hasMessageContaining("same family");
    assertThatThrownBy(() -> packet("10.0.0.1", "10.0.0.2", L4Protocol.TCP, 1, 70000, 0))
        .hasMessageContaining("packet.dst_port");
    assertThatThrownBy(
            () ->
                new FlowRequest(
                    "br-int;x",
                    1,
                    Optional.empty(),
                    packet("10.0.0.1", "10.0.0.2", L4Protocol.TCP, 1, 2, 0),
                    List.of()))
        .hasMessageContaining("bridge");
    assertThatThrownBy(
            () ->
                new TunnelMatch(
                    InetAddresses.forString("172.31.3.11"),
                    InetAddresses.forString("172.31.3.12"),
                    3,
                    List.of(new GeneveOption(0x103, 1, new byte[4]))))
        .hasMessageContaining("OVN's option");
  }
}
