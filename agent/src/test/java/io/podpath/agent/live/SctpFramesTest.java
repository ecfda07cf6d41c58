package io.podpath.agent.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A live capture of an SCTP exchange, on frames recorded from a real sandbox
 * (hack/fixtures/live-sctp.sh), in IPv4 and IPv6: the INIT from client-1 to web-2 port 80 and the
 * INIT-ACK, on web-2's host veth and inside Geneve (over the IPv4 underlay) on node2's eth0; an
 * INIT to port 81 and its ABORT. The filter keeps them, the decoder tells request from reply and
 * names the chunk.
 */
class SctpFramesTest {
  /** The recorded exchanges of each family: files, ends and source ports (the ABORT's is +1). */
  enum Family {
    V4("sctp", "10.244.1.4", "10.244.2.3", 41234),
    V6("sctp6", "fd00:10:244:1::4", "fd00:10:244:2::3", 41236);

    final String prefix;
    final String client;
    final String web;
    final int port;

    Family(String prefix, String client, String web, int port) {
      this.prefix = prefix;
      this.client = client;
      this.web = web;
      this.port = port;
    }

    LiveMatch match(int mark) {
      try {
        return new LiveMatch(
            InetAddress.getByName(client),
            InetAddress.getByName(web),
            LiveMatch.Transport.SCTP,
            mark);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }

    String file(String kind) {
      return prefix + "-" + kind + ".hex";
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

  @ParameterizedTest
  @EnumSource(Family.class)
  void theInitAndItsInitAckAreSeenPlainAndInsideGeneve(Family fam) throws IOException {
    LiveMatch mark = fam.match(fam.port);
    for (String file : List.of(fam.file("veth"), fam.file("geneve"))) {
      List<byte[]> f = frames(file);
      Sighting init = seen(mark, f.get(0));
      assertThat(init.reply()).as(file).isFalse();
      assertThat(init.protocol()).isEqualTo(132);
      assertThat(init.sctpChunk()).isEqualTo(1);
      assertThat(init.srcPort()).isEqualTo(fam.port);
      assertThat(init.dstPort()).isEqualTo(80);
      assertThat(init.srcIp()).isEqualTo(fam.client);
      Sighting ack = seen(mark, f.get(1));
      assertThat(ack.reply()).as(file).isTrue();
      assertThat(ack.sctpChunk()).isEqualTo(2);
      assertThat(ack.srcIp()).isEqualTo(fam.web);
      assertThat(ack.encap().isPresent()).isEqualTo(file.endsWith("-geneve.hex"));
    }
    assertThat(seen(mark, frames(fam.file("geneve")).get(0)).encap().orElseThrow().type())
        .isEqualTo("geneve");
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void anAbortIsTheReplyButNoInitAck(Family fam) throws IOException {
    List<byte[]> f = frames(fam.file("abort"));
    LiveMatch m = fam.match(fam.port + 1);
    assertThat(seen(m, f.get(0)).sctpChunk()).isEqualTo(1);
    Sighting abort = seen(m, f.get(1));
    assertThat(abort.reply()).isTrue();
    assertThat(abort.sctpChunk()).isEqualTo(6);
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void anotherMarkTransportOrFamilyDropsThem(Family fam) throws IOException {
    LiveMatch mark = fam.match(fam.port);
    LiveMatch udp = new LiveMatch(mark.srcIp(), mark.dstIp(), LiveMatch.Transport.UDP, fam.port);
    Family other = fam == Family.V4 ? Family.V6 : Family.V4;
    for (String file : List.of(fam.file("veth"), fam.file("geneve"))) {
      for (byte[] frame : frames(file)) {
        for (LiveMatch m : List.of(fam.match(fam.port + 65), udp, other.match(fam.port))) {
          assertThat(ClassicBpf.run(BpfFilter.program(m), frame)).as(file).isZero();
          assertThat(FrameDecoder.decode(frame, m, 0, "veth", "out")).as(file).isEmpty();
        }
      }
    }
  }
}
