package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SCTP INIT the agent sends and the answer it reads, on frames recorded from a real sandbox
 * (hack/fixtures/live-sctp.sh: client-1 sent the INIT from port 41234 through a raw socket, web-2's
 * responder answered; python's own CRC32c table built those checksums), in IPv4 and IPv6 (an IPv6
 * raw socket reads the SCTP packet alone, its source from recvfrom).
 */
class SctpPacketTest {
  private static final int ETH = 14;
  private static final int IP = 20;
  private static final int IP6 = 40;
  private static final String WEB2_V6 = "fd00:10:244:2::3";

  static List<byte[]> frames(String name) throws IOException {
    try (InputStream in = SctpPacketTest.class.getResourceAsStream("/fixtures/live/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII)
          .lines()
          .filter(l -> !l.isBlank())
          .map(l -> HexFormat.of().parseHex(l.strip()))
          .toList();
    }
  }

  private static byte[] ip(byte[] frame) {
    return Arrays.copyOfRange(frame, ETH, frame.length);
  }

  @Test
  void theInitIsByteForByteTheOneARealSenderPutOnTheWire() throws IOException {
    byte[] recorded = Arrays.copyOfRange(frames("sctp-veth.hex").get(0), ETH + IP, ETH + IP + 32);
    ByteBuffer r = ByteBuffer.wrap(recorded);
    int tag = r.getInt(16);
    int tsn = r.getInt(28);
    assertThat(r.get(12)).as("chunk type INIT").isEqualTo((byte) 1);
    assertThat(SctpPacket.init(41234, 80, tag, tsn)).isEqualTo(recorded);
  }

  @Test
  void theInitAckAndTheAbortAreRecognised() throws IOException {
    byte[] init = frames("sctp-veth.hex").get(0);
    int tag = ByteBuffer.wrap(init).getInt(ETH + IP + 16);
    byte[] initAck = ip(frames("sctp-veth.hex").get(1));
    assertThat(SctpPacket.answerTo(initAck, 41234, 80, tag))
        .contains(new SctpPacket.Reply(SctpPacket.Answer.INIT_ACK, "10.244.2.3"));

    byte[] abortInit = frames("sctp-abort.hex").get(0);
    int abortTag = ByteBuffer.wrap(abortInit).getInt(ETH + IP + 16);
    byte[] abort = ip(frames("sctp-abort.hex").get(1));
    assertThat(SctpPacket.answerTo(abort, 41235, 81, abortTag))
        .contains(new SctpPacket.Reply(SctpPacket.Answer.ABORT, "10.244.2.3"));
  }

  @Test
  void anythingButTheAnswerToThisInitIsIgnored() throws IOException {
    byte[] init = frames("sctp-veth.hex").get(0);
    int tag = ByteBuffer.wrap(init).getInt(ETH + IP + 16);
    byte[] initAck = ip(frames("sctp-veth.hex").get(1));
    // another exchange: its tag, its ports
    assertThat(SctpPacket.answerTo(initAck, 41234, 80, tag + 1)).isEmpty();
    assertThat(SctpPacket.answerTo(initAck, 41299, 80, tag)).isEmpty();
    assertThat(SctpPacket.answerTo(initAck, 41234, 81, tag)).isEmpty();
    // one flipped bit in the chunk: the checksum no longer holds
    byte[] bad = initAck.clone();
    bad[bad.length - 1] ^= 1;
    assertThat(SctpPacket.answerTo(bad, 41234, 80, tag)).isEmpty();
    // the INIT itself (the sender's own packet) and cut-off packets
    assertThat(SctpPacket.answerTo(ip(init), 80, 41234, 0)).isEmpty();
    for (int n = 0; n < initAck.length; n += 7) {
      assertThat(SctpPacket.answerTo(Arrays.copyOf(initAck, n), 41234, 80, tag)).isEmpty();
    }
  }

  /** What an IPv6 raw socket reads of a recorded frame: the SCTP packet after the IPv6 header. */
  private static byte[] sctp6(byte[] frame) {
    return Arrays.copyOfRange(frame, ETH + IP6, frame.length);
  }

  @Test
  void theIpv6InitIsTheSameBytesOnTheWire() throws IOException {
    byte[] frame = frames("sctp6-veth.hex").get(0);
    assertThat(frame[ETH + 6]).as("IPv6 next header SCTP").isEqualTo((byte) 132);
    byte[] recorded = Arrays.copyOfRange(frame, ETH + IP6, ETH + IP6 + 32);
    ByteBuffer r = ByteBuffer.wrap(recorded);
    assertThat(SctpPacket.init(41236, 80, r.getInt(16), r.getInt(28))).isEqualTo(recorded);
  }

  @Test
  void theIpv6InitAckAndAbortAreRecognisedFromTheirSctpPacketAlone() throws IOException {
    int tag = ByteBuffer.wrap(sctp6(frames("sctp6-veth.hex").get(0))).getInt(16);
    byte[] initAck = sctp6(frames("sctp6-veth.hex").get(1));
    assertThat(SctpPacket.answerIn(initAck, WEB2_V6, 41236, 80, tag))
        .contains(new SctpPacket.Reply(SctpPacket.Answer.INIT_ACK, WEB2_V6));
    int abortTag = ByteBuffer.wrap(sctp6(frames("sctp6-abort.hex").get(0))).getInt(16);
    byte[] abort = sctp6(frames("sctp6-abort.hex").get(1));
    assertThat(SctpPacket.answerIn(abort, WEB2_V6, 41237, 81, abortTag))
        .contains(new SctpPacket.Reply(SctpPacket.Answer.ABORT, WEB2_V6));
    // another exchange, a flipped bit, the INIT itself, cut-off packets
    assertThat(SctpPacket.answerIn(initAck, WEB2_V6, 41236, 80, tag + 1)).isEmpty();
    assertThat(SctpPacket.answerIn(initAck, WEB2_V6, 41299, 80, tag)).isEmpty();
    byte[] bad = initAck.clone();
    bad[bad.length - 1] ^= 1;
    assertThat(SctpPacket.answerIn(bad, WEB2_V6, 41236, 80, tag)).isEmpty();
    byte[] init = sctp6(frames("sctp6-veth.hex").get(0));
    assertThat(SctpPacket.answerIn(init, WEB2_V6, 80, 41236, 0)).isEmpty();
    for (int n = 0; n < initAck.length; n += 7) {
      assertThat(SctpPacket.answerIn(Arrays.copyOf(initAck, n), WEB2_V6, 41236, 80, tag)).isEmpty();
    }
    // read as IPv4 (header first), the IPv6 packet is none
    assertThat(SctpPacket.answerTo(ip(frames("sctp6-veth.hex").get(1)), 41236, 80, tag)).isEmpty();
  }

  @Test
  void theInitiateTagIsNeverZero() {
    assertThatThrownBy(() -> SctpPacket.init(1, 2, 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never 0");
  }
}
