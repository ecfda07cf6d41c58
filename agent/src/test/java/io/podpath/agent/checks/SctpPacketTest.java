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
 * responder answered; python's own CRC32c table built those checksums).
 */
class SctpPacketTest {
  private static final int ETH = 14;
  private static final int IP = 20;

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

  @Test
  void theInitiateTagIsNeverZero() {
    assertThatThrownBy(() -> SctpPacket.init(1, 2, 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never 0");
  }
}
