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
  private static final LiveMatch MARK = match(POD, LiveMatch.Transport.TCP, 45123);
  private static final List<BpfFilter.Insn> PROG = BpfFilter.program(MARK);

  private static LiveMatch match(String ip, LiveMatch.Transport t, int port) {
    try {
      return new LiveMatch((Inet4Address) InetAddress.getByName(ip), t, port);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean accepted(byte[] frame) {
    boolean bpf = ClassicBpf.run(PROG, frame) > 0;
    boolean decoded = FrameDecoder.decode(frame, MARK, 0, "eth0", "out").isPresent();
    assertThat(decoded).as("filter and decoder agree").isEqualTo(bpf);
    return bpf;
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
    assertThat(accepted(Frames.plain("10.244.1.5", WEB, 6, 45123, 80, 0)))
        .as("other src")
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
    assertThatThrownBy(() -> match(POD, LiveMatch.Transport.UDP, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("src_port");
    assertThatThrownBy(() -> match(POD, LiveMatch.Transport.UDP, 65536))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(BpfFilter.encode(PROG)).hasSize(PROG.size() * 8);
  }
}
