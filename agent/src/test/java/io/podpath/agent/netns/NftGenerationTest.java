package io.podpath.agent.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The kernel's real NFT_MSG_NEWGEN answer, recorded by hack/fixtures/nft-gen.sh. */
class NftGenerationTest {
  private static String fixture(String name) throws Exception {
    try (var in = NftGenerationTest.class.getResourceAsStream("/fixtures/netlink/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }

  @Test
  void theRecordedAnswerGivesTheGenerationTheKernelReported() throws Exception {
    byte[] answer = HexFormat.of().parseHex(fixture("nft-getgen.hex"));
    long expected = Long.parseLong(fixture("nft-getgen.expected"));
    assertThat(NftGeneration.parse(ByteBuffer.wrap(answer).order(ByteOrder.nativeOrder())))
        .isEqualTo(OptionalLong.of(expected));
  }

  @Test
  void anErrorOrAShortAnswerIsNoGeneration() {
    ByteBuffer err = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
    err.putInt(36).putShort((short) 2);
    assertThat(NftGeneration.parse(err.rewind())).isEmpty();
    assertThat(NftGeneration.parse(ByteBuffer.allocate(8))).isEmpty();
  }

  @Test
  void theRequestIsGetgenWithAnNfgenmsg() {
    ByteBuffer r = ByteBuffer.wrap(NftGeneration.request()).order(ByteOrder.nativeOrder());
    assertThat(r.getInt(0)).isEqualTo(20);
    assertThat(r.getShort(4)).isEqualTo((short) (10 << 8 | 16));
  }
}
