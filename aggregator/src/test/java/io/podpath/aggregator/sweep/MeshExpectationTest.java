package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.model.NodeSummary;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MeshExpectationTest {
  static final MeshExpectation MESH =
      new MeshExpectation(
          new ClusterIndex(
              List.of(),
              List.of(),
              List.of(),
              List.of(
                  new NodeInfo("a", "10.0.0.1", "10.0.0.1", List.of()),
                  new NodeInfo("b", "10.0.0.2", "10.0.0.2", List.of()),
                  new NodeInfo("c", "10.0.0.3", "10.0.0.3", List.of()),
                  new NodeInfo("d", "10.0.0.4", "", List.of())),
              List.of()));

  @Test
  void theDigestCoversNodesWithAnEncapIpAndEachNodeGetsItsOwn() {
    assertThat(MESH.forNode("a").count()).isEqualTo(3);
    assertThat(MESH.forNode("a").selfEncapIp()).isEqualTo("10.0.0.1");
    assertThat(MESH.forNode("d").selfEncapIp()).isEmpty();
    assertThat(MESH.peers("a")).isEqualTo(2);
    assertThat(MESH.peers("d")).isEqualTo(3);
  }

  @Test
  void namesMissingPeersAndUnexpectedRemotes() {
    NodeFacts.Tunnels t = MESH.compare("a", List.of("10.0.0.3", "10.9.9.9"));
    assertThat(t.state()).isEqualTo(NodeFacts.Tunnels.State.MISMATCH);
    assertThat(t.missing()).containsExactly("b (10.0.0.2)");
    assertThat(t.unexpected()).containsExactly("10.9.9.9");
    assertThat(t.describe())
        .isEqualTo(
            "no tunnel to b (10.0.0.2); tunnel to 10.9.9.9 which no node of the cluster has as"
                + " encap IP");
    assertThat(MESH.compare("a", List.of("10.0.0.2", "10.0.0.3")).state())
        .isEqualTo(NodeFacts.Tunnels.State.FULL_MESH);
  }

  static NodeSummary summary(boolean matches, String error) {
    return new NodeSummary(0, 0, 0, 0, matches, List.of(), error, 0, Optional.empty());
  }

  @Test
  void aMatchingSummaryCostsNoComparisonAndAnUnreadableOneIsUnknown() {
    assertThat(MESH.fromSummary("a", summary(true, "")).state())
        .isEqualTo(NodeFacts.Tunnels.State.FULL_MESH);
    NodeFacts.Tunnels u = MESH.fromSummary("a", summary(false, "ovsdb unreachable: x"));
    assertThat(u.state()).isEqualTo(NodeFacts.Tunnels.State.UNKNOWN);
    assertThat(u.reason()).contains("ovsdb unreachable");
  }

  /** Dual-stack nodes, encap IP = the first InternalIP (no CNI annotation): tunnels over IPv6. */
  @Test
  void tunnelsOverTheOtherFamilyReachTheirNodes() {
    MeshExpectation dual =
        new MeshExpectation(
            new ClusterIndex(
                List.of(),
                List.of(),
                List.of(),
                List.of(
                    new NodeInfo(
                        "a", "10.0.0.1", "10.0.0.1", List.of(), List.of("10.0.0.1", "fd00::1")),
                    new NodeInfo(
                        "b", "10.0.0.2", "10.0.0.2", List.of(), List.of("10.0.0.2", "fd00::2")),
                    new NodeInfo(
                        "c", "10.0.0.3", "10.0.0.3", List.of(), List.of("10.0.0.3", "fd00::3"))),
                List.of()));
    assertThat(dual.forNode("a").otherFamily())
        .hasValueSatisfying(
            o -> {
              assertThat(o.count()).isEqualTo(3);
              assertThat(o.selfEncapIp()).isEqualTo("fd00::1");
            });
    assertThat(dual.compare("a", List.of("fd00::2", "fd00::3")).state())
        .isEqualTo(NodeFacts.Tunnels.State.FULL_MESH);
    NodeFacts.Tunnels t = dual.compare("a", List.of("fd00::2", "fd00::9"));
    assertThat(t.missing()).containsExactly("c (10.0.0.3)");
    assertThat(t.unexpected()).containsExactly("fd00::9");
    assertThat(MESH.forNode("a").otherFamily()).isEmpty();
  }
}
