package io.podpath.aggregator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.agents.AgentProtos;
import io.podpath.aggregator.model.IpProtocol;
import io.podpath.aggregator.model.TracedPacket;
import io.podpath.aggregator.trace.DirectionResult;
import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.Verdict;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The wire form of a verdict: an absent value is the field's proto default, as before. */
class ProtoMapperTest {
  private static final TracedPacket PACKET =
      TracedPacket.of(
          "10.244.1.5", "198.51.100.7", IpProtocol.TCP, 40000, 443, OptionalInt.empty());

  private static DirectionResult.LeftCluster left(Optional<String> egressSource) {
    return new DirectionResult.LeftCluster(
        "left", List.of(), PACKET, List.of(), "node1 via eth0", egressSource, true);
  }

  private static DirectionTrace.Builder expected() {
    return DirectionTrace.newBuilder()
        .setVerdict(Verdict.VERDICT_LEFT_CLUSTER)
        .setSummary("left")
        .setPacket(AgentProtos.packet(PACKET))
        .setLeftVia("node1 via eth0");
  }

  @Test
  void noEgressSourceIsTheEmptyStringOnTheWire() {
    DirectionTrace wire = ProtoMapper.direction(left(Optional.empty()));
    assertThat(wire.getEgressSource()).isEmpty();
    assertThat(wire).isEqualTo(expected().build());
    assertThat(wire.toByteArray()).isEqualTo(expected().setEgressSource("").build().toByteArray());
  }

  @Test
  void anEgressSourceIsCarried() {
    assertThat(ProtoMapper.direction(left(Optional.of("172.31.0.11"))))
        .isEqualTo(expected().setEgressSource("172.31.0.11").build());
  }
}
