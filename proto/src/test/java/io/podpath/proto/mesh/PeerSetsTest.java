package io.podpath.proto.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.PeerSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerSetsTest {
  static final List<String> CLUSTER = List.of("10.0.0.3", "10.0.0.1", "10.0.0.2", "", "10.0.0.2");

  @Test
  void countsDistinctNonEmptyIpsAndDigestsTheSortedSet() {
    PeerSets.Expected e = PeerSets.expected(CLUSTER);
    assertThat(e.count()).isEqualTo(3);
    // sha256("10.0.0.1\n10.0.0.2\n10.0.0.3\n"): the order the agents must reproduce
    assertThat(e.sha256())
        .isEqualTo(PeerSets.expected(List.of("10.0.0.2", "10.0.0.3", "10.0.0.1")).sha256())
        .hasSize(64);
  }

  @Test
  void aNodeMatchesWithItsOwnIpPlusEveryOtherAsTunnelRemotes() {
    PeerSet p = PeerSets.expected(CLUSTER).forNode("10.0.0.1");
    assertThat(PeerSets.matches(p, List.of("10.0.0.3", "10.0.0.2"))).isTrue();
    assertThat(PeerSets.matches(p, List.of("10.0.0.2"))).as("one missing").isFalse();
    assertThat(PeerSets.matches(p, List.of("10.0.0.2", "10.0.0.4")))
        .as("same count, other peer")
        .isFalse();
    assertThat(PeerSets.matches(p, List.of("10.0.0.2", "10.0.0.3", "10.0.0.4")))
        .as("one extra")
        .isFalse();
  }

  @Test
  void aNodeWhoseOwnIpIsUnknownMustReachEveryListedIp() {
    PeerSet p = PeerSets.expected(List.of("10.0.0.2", "10.0.0.3")).forNode("");
    assertThat(PeerSets.matches(p, List.of("10.0.0.3", "10.0.0.2"))).isTrue();
    assertThat(PeerSets.matches(p, List.of("10.0.0.3"))).isFalse();
  }
}
