package io.podpath.agent.trace;

import static io.podpath.agent.trace.TraceFixtures.read;
import static io.podpath.agent.trace.TraceFixtures.why;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The inner packet rebuilt from a recorded final flow, and what it says when a field is missing.
 */
class InnerPacketTest {
  private static final String F = "cross-node-tcp.txt";

  private static String finalFlow() {
    return TraceOutputParser.parse(read(F)).passes().get(0).finalFlow();
  }

  @Test
  void theRecordedFinalFlowRebuildsThePacket() {
    InnerPacket.Result r = InnerPacket.asItLeaves(finalFlow(), List.of());
    assertThat(r.problem()).as(why(F)).isEmpty();
    PacketHeaders p = r.packet().orElseThrow();
    assertThat(p.srcPort()).as(why(F)).isEqualTo(40000);
    assertThat(p.dstPort()).as(why(F)).isEqualTo(80);
  }

  @Test
  void aFieldTheFlowLacksIsNamedNotNull() {
    String withoutSrcPort = finalFlow().replaceAll(",tp_src=\\d+", "");
    InnerPacket.Result r = InnerPacket.asItLeaves(withoutSrcPort, List.of());
    assertThat(r.packet()).isEmpty();
    assertThat(r.problem()).hasValueSatisfying(p -> assertThat(p).endsWith("has no tp_src"));
  }

  @Test
  void anAddressThatIsNotOneIsNamed() {
    String bad = finalFlow().replaceAll("nw_dst=[0-9.]+", "nw_dst=10.244.2");
    InnerPacket.Result r = InnerPacket.asItLeaves(bad, List.of());
    assertThat(r.problem())
        .hasValueSatisfying(p -> assertThat(p).endsWith("nw_dst=10.244.2 is not an IP address"));
  }
}
