package io.podpath.agent.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A live capture of an SCTP exchange, on frames recorded from a real sandbox
 * (hack/fixtures/live-sctp.sh): the INIT from client-1 port 41234 to web-2 port 80 and the
 * INIT-ACK, on web-2's host veth and inside Geneve on node2's underlay; an INIT to port 81 and its
 * ABORT. The filter keeps them, the decoder tells request from reply and names the chunk.
 */
class SctpFramesTest {
  private static final LiveMatch MARK = match(41234);

  private static LiveMatch match(int mark) {
    try {
      return new LiveMatch(
          (Inet4Address) InetAddress.getByName("10.244.1.4"),
          (Inet4Address) InetAddress.getByName("10.244.2.3"),
          LiveMatch.Transport.SCTP,
          mark);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<byte[]> frames(String name) throws IOException {
    try (InputStream in = SctpFramesTest.class.getResourceAsStream("/fixtures/live/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII)
          .lines()
          .filter(l -> !l.isBlank())
          .map(l -> HexFormat.of().parseHex(l.strip()))
          .toList();
    }
  }

  private static Sighting seen(LiveMatch m, byte[] frame) {
    assertThat(ClassicBpf.run(BpfFilter.program(m), frame)).as("the filter keeps it").isPositive();
    return FrameDecoder.decode(frame, m, 0, "veth", "out").orElseThrow();
  }

  @Test
  void theInitAndItsInitAckAreSeenPlainAndInsideGeneve() throws IOException {
    for (String file : List.of("sctp-veth.hex", "sctp-geneve.hex")) {
      List<byte[]> f = frames(file);
      Sighting init = seen(MARK, f.get(0));
      assertThat(init.reply()).as(file).isFalse();
      assertThat(init.protocol()).isEqualTo(132);
      assertThat(init.sctpChunk()).isEqualTo(1);
      assertThat(init.srcPort()).isEqualTo(41234);
      assertThat(init.dstPort()).isEqualTo(80);
      Sighting ack = seen(MARK, f.get(1));
      assertThat(ack.reply()).as(file).isTrue();
      assertThat(ack.sctpChunk()).isEqualTo(2);
      assertThat(ack.srcIp()).isEqualTo("10.244.2.3");
      assertThat(ack.encap().isPresent()).isEqualTo(file.equals("sctp-geneve.hex"));
    }
    assertThat(seen(MARK, frames("sctp-geneve.hex").get(0)).encap().orElseThrow().type())
        .isEqualTo("geneve");
  }

  @Test
  void anAbortIsTheReplyButNoInitAck() throws IOException {
    List<byte[]> f = frames("sctp-abort.hex");
    LiveMatch m = match(41235);
    assertThat(seen(m, f.get(0)).sctpChunk()).isEqualTo(1);
    Sighting abort = seen(m, f.get(1));
    assertThat(abort.reply()).isTrue();
    assertThat(abort.sctpChunk()).isEqualTo(6);
  }

  @Test
  void anotherMarkOrTransportDropsThem() throws IOException {
    LiveMatch udp = new LiveMatch(MARK.srcIp(), MARK.dstIp(), LiveMatch.Transport.UDP, MARK.mark());
    for (String file : List.of("sctp-veth.hex", "sctp-geneve.hex")) {
      for (byte[] frame : frames(file)) {
        for (LiveMatch m : List.of(match(41299), udp)) {
          assertThat(ClassicBpf.run(BpfFilter.program(m), frame)).as(file).isZero();
          assertThat(FrameDecoder.decode(frame, m, 0, "veth", "out")).as(file).isEmpty();
        }
      }
    }
  }
}
