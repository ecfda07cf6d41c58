package io.podpath.agent.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The capture filter and the decoder behind it: the marked packet is accepted plain and inside
 * Geneve (any option length) or VXLAN; a packet that differs in source port, source address,
 * protocol, or is a later fragment, is not.
 */
class BpfFilterTest {
  private static final String POD = "10.244.1.4";
  private static final String WEB = "10.244.2.3";
  private static final LiveMatch MARK = match(POD, WEB, LiveMatch.Transport.TCP, 45123);
  private static final List<BpfFilter.Insn> PROG = BpfFilter.program(MARK);

  private static LiveMatch match(String ip, String dst, LiveMatch.Transport t, int port) {
    try {
      return new LiveMatch(
          (Inet4Address) InetAddress.getByName(ip),
          (Inet4Address) InetAddress.getByName(dst),
          t,
          port);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean accepted(byte[] frame) {
    return accepted(MARK, frame);
  }

  private static boolean accepted(LiveMatch m, byte[] frame) {
    boolean bpf = ClassicBpf.run(BpfFilter.program(m), frame) > 0;
    boolean decoded = FrameDecoder.decode(frame, m, 0, "eth0", "out").isPresent();
    assertThat(decoded).as("filter and decoder agree").isEqualTo(bpf);
    return bpf;
  }

  @Test
  void theReplyIsAcceptedAndToldApartFromTheRequest() {
    byte[] synAck = Frames.plain(WEB, POD, 6, 80, 45123, 0);
    assertThat(accepted(synAck)).isTrue();
    assertThat(FrameDecoder.decode(synAck, MARK, 0, "eth0", "out").orElseThrow().reply()).isTrue();
    byte[] syn = Frames.plain(POD, WEB, 6, 45123, 80, 0);
    assertThat(FrameDecoder.decode(syn, MARK, 0, "eth0", "out").orElseThrow().reply()).isFalse();
    assertThat(accepted(Frames.geneve("172.31.22.12", "172.31.22.11", 2, 3, synAck))).isTrue();
    // Another connection's reply (its own port) is not the mark's.
    assertThat(accepted(Frames.plain(WEB, POD, 6, 80, 45124, 0))).isFalse();
  }

  @Test
  void afterSourceNatTheDestinationAndTheMarkStillMatch() {
    // pod -> outside host: the node's kernel rewrote the source to its own address, kept the port.
    LiveMatch toExt = match(POD, "172.31.9.200", LiveMatch.Transport.UDP, 45123);
    assertThat(accepted(toExt, Frames.plain("172.31.22.11", "172.31.9.200", 17, 45123, 53, 0)))
        .isTrue();
    assertThat(accepted(toExt, Frames.plain("172.31.9.200", "172.31.22.11", 17, 53, 45123, 0)))
        .isTrue();
    // Neither end's address: another host's traffic that happens to use the port.
    assertThat(accepted(toExt, Frames.plain("172.31.22.11", "172.31.9.201", 17, 45123, 53, 0)))
        .isFalse();
  }

  @Test
  void icmpEchoIsMarkedByItsIdentifier() {
    LiveMatch ping = match(POD, WEB, LiveMatch.Transport.ICMP, 45123);
    assertThat(accepted(ping, Frames.icmp(POD, WEB, 8, 45123, 0))).isTrue();
    byte[] reply = Frames.icmp(WEB, POD, 0, 45123, 0);
    assertThat(accepted(ping, reply)).isTrue();
    assertThat(FrameDecoder.decode(reply, ping, 0, "eth0", "out").orElseThrow().reply()).isTrue();
    assertThat(accepted(ping, Frames.geneve("172.31.22.11", "172.31.22.12", 1, 3, reply))).isTrue();
    assertThat(accepted(ping, Frames.icmp(POD, WEB, 8, 45124, 0))).as("other id").isFalse();
    assertThat(accepted(ping, Frames.icmp(POD, WEB, 8, 45123, 0x0020))).as("fragment").isFalse();
    assertThat(accepted(ping, Frames.plain(POD, WEB, 6, 45123, 80, 0))).as("TCP").isFalse();
  }

  @Test
  void theMarkedPacketIsAcceptedPlainAndEncapsulated() {
    byte[] inner = Frames.plain(POD, WEB, 6, 45123, 80, 0);
    assertThat(accepted(inner)).isTrue();
    for (int opts = 0; opts <= 63; opts += 9) {
      assertThat(accepted(Frames.geneve("172.31.22.11", "172.31.22.12", opts, 3, inner)))
          .as("geneve with %d option words", opts)
          .isTrue();
    }
    assertThat(accepted(Frames.vxlan("172.31.22.11", "172.31.22.12", 3, inner))).isTrue();
  }

  @Test
  void packetsThatDifferFromTheMarkAreRejected() {
    assertThat(accepted(Frames.plain(POD, WEB, 6, 45124, 80, 0))).as("other sport").isFalse();
    assertThat(accepted(Frames.plain("10.244.1.5", "10.244.2.9", 6, 45123, 80, 0)))
        .as("neither end")
        .isFalse();
    assertThat(accepted(Frames.plain(POD, WEB, 17, 45123, 80, 0))).as("UDP").isFalse();
    assertThat(accepted(Frames.plain(POD, WEB, 6, 45123, 80, 0x0010))).as("fragment").isFalse();
    byte[] other = Frames.plain(POD, WEB, 6, 45124, 80, 0);
    assertThat(accepted(Frames.geneve("172.31.22.11", "172.31.22.12", 2, 3, other))).isFalse();
    assertThat(accepted(Frames.vxlan("172.31.22.11", "172.31.22.12", 3, other))).isFalse();
    byte[] truncated = java.util.Arrays.copyOf(Frames.plain(POD, WEB, 6, 45123, 80, 0), 35);
    assertThat(accepted(truncated)).isFalse();
  }

  @Test
  void theDecoderReportsTheTunnelAndTheInnerHeaders() {
    byte[] f =
        Frames.geneve(
            "172.31.22.11", "172.31.22.12", 4, 0x3, Frames.plain(POD, WEB, 6, 45123, 80, 0));
    Sighting s = FrameDecoder.decode(f, MARK, 7, "eth0", "out").orElseThrow();
    assertThat(s.dstIp()).isEqualTo(WEB);
    assertThat(s.dstPort()).isEqualTo(80);
    assertThat(s.ipId()).isEqualTo(0x1234);
    assertThat(s.encap())
        .hasValue(new Sighting.Encap("geneve", "172.31.22.11", "172.31.22.12", 6081, 3));
  }

  @Test
  void theMatchTakesOnlyTypedValues() {
    assertThatThrownBy(() -> match(POD, WEB, LiveMatch.Transport.UDP, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("src_port");
    assertThatThrownBy(() -> match(POD, WEB, LiveMatch.Transport.UDP, 65536))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(BpfFilter.encode(PROG)).hasSize(PROG.size() * 8);
  }
}
