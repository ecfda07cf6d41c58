package io.podpath.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;

/**
 * The capture filter and decoder for an IPv6 exchange: the marked packet plain and inside Geneve or
 * VXLAN over an IPv4 or IPv6 underlay, both ways, ICMPv6 echo by its identifier; what differs in
 * mark, ends, next header or family is not accepted (and an IPv4 match ignores IPv6 frames).
 */
class Ipv6BpfFilterTest {
  private static final String POD = "fd00:10:244:1::4";
  private static final String WEB = "fd00:10:244:2::3";
  private static final LiveMatch TCP = match(POD, WEB, LiveMatch.Transport.TCP);
  private static final LiveMatch PING = match(POD, WEB, LiveMatch.Transport.ICMP);

  private static LiveMatch match(String src, String dst, LiveMatch.Transport t) {
    return new LiveMatch(InetAddresses.forString(src), InetAddresses.forString(dst), t, 45123);
  }

  private static boolean accepted(LiveMatch m, byte[] frame) {
    boolean bpf = ClassicBpf.run(BpfFilter.program(m), frame) > 0;
    boolean decoded = FrameDecoder.decode(frame, m, 0, "eth0", "out").isPresent();
    assertThat(decoded).as("filter and decoder agree").isEqualTo(bpf);
    return bpf;
  }

  @Test
  void theMarkedIpv6PacketIsAcceptedPlainAndOverBothUnderlays() {
    byte[] syn = Frames.plain6(POD, WEB, 6, 45123, 80);
    byte[] synAck = Frames.plain6(WEB, POD, 6, 80, 45123);
    assertThat(accepted(TCP, syn)).isTrue();
    assertThat(accepted(TCP, synAck)).isTrue();
    assertThat(FrameDecoder.decode(synAck, TCP, 0, "eth0", "in").orElseThrow().reply()).isTrue();
    for (int opts = 0; opts <= 63; opts += 21) {
      assertThat(accepted(TCP, Frames.geneve("172.31.22.11", "172.31.22.12", opts, 3, syn)))
          .as("geneve over IPv4, %d option words", opts)
          .isTrue();
      assertThat(
              accepted(
                  TCP, Frames.geneve6("fd00:172:31:22::11", "fd00:172:31:22::12", opts, 3, syn)))
          .as("geneve over IPv6, %d option words", opts)
          .isTrue();
    }
    assertThat(accepted(TCP, Frames.vxlan("172.31.22.11", "172.31.22.12", 3, synAck))).isTrue();
    Sighting s =
        FrameDecoder.decode(
                Frames.geneve6("fd00:172:31:22::11", "fd00:172:31:22::12", 2, 5, syn),
                TCP,
                7,
                "eth0",
                "out")
            .orElseThrow();
    assertThat(s.srcIp()).isEqualTo(POD);
    assertThat(s.dstIp()).isEqualTo(WEB);
    assertThat(s.protocol()).isEqualTo(6);
    assertThat(s.totalLength()).isEqualTo(60);
    assertThat(s.encap())
        .hasValue(
            new Sighting.Encap("geneve", "fd00:172:31:22::11", "fd00:172:31:22::12", 6081, 5));
    // an IPv4 exchange inside Geneve over an IPv6 underlay
    LiveMatch four =
        new LiveMatch(
            InetAddresses.forString("10.244.1.4"),
            InetAddresses.forString("10.244.2.3"),
            LiveMatch.Transport.TCP,
            45123);
    byte[] inner4 = Frames.plain("10.244.1.4", "10.244.2.3", 6, 45123, 80, 0);
    assertThat(
            accepted(
                four, Frames.geneve6("fd00:172:31:22::11", "fd00:172:31:22::12", 2, 3, inner4)))
        .isTrue();
    assertThat(accepted(four, syn)).as("an IPv6 frame for an IPv4 match").isFalse();
  }

  @Test
  void icmpv6EchoIsMarkedByItsIdentifier() {
    assertThat(accepted(PING, Frames.icmp6(POD, WEB, 128, 45123))).isTrue();
    byte[] reply = Frames.icmp6(WEB, POD, 129, 45123);
    assertThat(accepted(PING, reply)).isTrue();
    Sighting s = FrameDecoder.decode(reply, PING, 0, "eth0", "in").orElseThrow();
    assertThat(s.reply()).isTrue();
    assertThat(s.icmpType()).isEqualTo(129);
    assertThat(accepted(PING, Frames.geneve("172.31.22.11", "172.31.22.12", 1, 3, reply))).isTrue();
    assertThat(accepted(PING, Frames.icmp6(POD, WEB, 128, 45124))).as("other id").isFalse();
    assertThat(accepted(PING, Frames.icmp6(POD, WEB, 135, 45123))).as("not an echo").isFalse();
    assertThat(accepted(PING, Frames.icmp("10.244.1.4", "10.244.2.3", 8, 45123, 0)))
        .as("ICMPv4")
        .isFalse();
  }

  @Test
  void theFirstFragmentOfAFragmentedEchoIsAcceptedLaterOnesAreNot() {
    assertThat(accepted(PING, Frames.icmp6Fragment(POD, WEB, 45123, 0))).isTrue();
    assertThat(accepted(PING, Frames.icmp6Fragment(POD, WEB, 45123, 181))).isFalse();
    assertThat(accepted(PING, Frames.icmp6Fragment(POD, WEB, 45124, 0))).as("other id").isFalse();
    byte[] first = Frames.icmp6Fragment(POD, WEB, 45123, 0);
    assertThat(accepted(PING, Frames.geneve("172.31.22.11", "172.31.22.12", 2, 3, first)))
        .as("the first fragment in a tunnel")
        .isTrue();
    byte[] later = Frames.icmp6Fragment(POD, WEB, 45123, 181);
    assertThat(
            accepted(PING, Frames.geneve6("fd00:172:31:22::11", "fd00:172:31:22::12", 2, 3, later)))
        .isFalse();
  }

  @Test
  void ipv6PacketsThatDifferFromTheMarkAreRejected() {
    assertThat(accepted(TCP, Frames.plain6(POD, WEB, 6, 45124, 80))).as("other sport").isFalse();
    assertThat(accepted(TCP, Frames.plain6(POD, WEB, 17, 45123, 80))).as("UDP").isFalse();
    assertThat(accepted(TCP, Frames.plain6("fd00:10:244:1::5", "fd00:10:244:2::9", 6, 45123, 80)))
        .as("neither end")
        .isFalse();
    // the same low word in another prefix is another address
    assertThat(accepted(TCP, Frames.plain6("fd01:10:244:1::4", "fd00:10:244:9::3", 6, 45123, 80)))
        .as("other prefix")
        .isFalse();
    // after the node's SNAT (pod -> outside) the destination and the mark still match
    LiveMatch toExt = match(POD, "fd00:172:31:9::200", LiveMatch.Transport.UDP);
    assertThat(
            accepted(
                toExt, Frames.plain6("fd00:172:31:9::11", "fd00:172:31:9::200", 17, 45123, 53)))
        .isTrue();
    byte[] truncated = java.util.Arrays.copyOf(Frames.plain6(POD, WEB, 6, 45123, 80), 50);
    assertThat(accepted(TCP, truncated)).isFalse();
  }

  @Test
  void bothEndsAreOfOneFamily() {
    assertThatThrownBy(() -> match(POD, "10.244.2.3", LiveMatch.Transport.TCP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("families");
  }
}
