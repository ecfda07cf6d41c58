package io.podpath.aggregator.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.model.IpProtocol;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The builder's defaults are `podpath trace`'s, and toBuilder changes only what it sets. */
class TraceQueryTest {
  static final EndpointSpec SRC = EndpointSpec.parse("default/client");
  static final EndpointSpec DST = EndpointSpec.parse("default/web-1");

  @Test
  void defaultsAreTheCommandsDefaults() {
    TraceQuery q = TraceQuery.builder(SRC, DST, IpProtocol.TCP).build();
    assertThat(q)
        .isEqualTo(
            new TraceQuery(
                SRC,
                DST,
                IpProtocol.TCP,
                OptionalInt.empty(),
                0,
                OptionalInt.empty(),
                false,
                TraceQuery.DEFAULT_MAX_HOPS,
                false,
                TraceQuery.Sizing.DEFAULT,
                Optional.empty(),
                false,
                OptionalInt.empty()));
    assertThat(q.effectiveSrcPort()).isEqualTo(TraceQuery.DEFAULT_SRC_PORT);
  }

  @Test
  void toBuilderKeepsEverythingItDoesNotSet() {
    TraceQuery q =
        TraceQuery.builder(SRC, DST, IpProtocol.UDP)
            .srcPort(OptionalInt.of(1234))
            .dstPort(53)
            .includeRaw(true)
            .maxHops(3)
            .forwardOnly(true)
            .sizing(new TraceQuery.Sizing(1400, true))
            .ingressNode(Optional.of("node1"))
            .includeConntrackEntries(true)
            .ipFamily(OptionalInt.of(6))
            .build();
    TraceQuery changed = q.toBuilder().dstPort(5353).build();
    assertThat(changed.dstPort()).isEqualTo(5353);
    assertThat(changed).usingRecursiveComparison().ignoringFields("dstPort").isEqualTo(q);
    assertThat(q.toBuilder().build()).isEqualTo(q);
  }
}
