package io.podpath.aggregator.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.inventory.NodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A dual-stack node whose CNI writes no encap annotation (ovs mode): its encap IP is its first
 * InternalIP, but a tunnel over an IPv6 underlay reaches its IPv6 one.
 */
class TunnelEndTest {
  private static final NodeInfo NODE2 =
      new NodeInfo(
          "node2",
          "172.31.45.12",
          "172.31.45.12",
          List.of("10.244.2.0/24", "fd00:10:244:2::/64"),
          List.of("172.31.45.12", "fd00:172:31:45::12"));

  @Test
  void everyInternalIpIsATunnelAddressEncapFirst() {
    assertThat(TunnelEnd.addresses(NODE2)).containsExactly("172.31.45.12", "fd00:172:31:45::12");
  }

  @Test
  void theRemoteEndFollowsTheFamilyExistingTunnelsShow() {
    assertThat(TunnelEnd.remote(NODE2, List.of("fd00:172:31:45::11")))
        .isEqualTo("fd00:172:31:45::12");
    assertThat(TunnelEnd.remote(NODE2, List.of("flow", "172.31.45.13"))).isEqualTo("172.31.45.12");
  }

  @Test
  void withoutEvidenceTheEncapIpIsNamed() {
    assertThat(TunnelEnd.remote(NODE2, List.of())).isEqualTo("172.31.45.12");
    assertThat(TunnelEnd.remote(NODE2, List.of("flow"))).isEqualTo("172.31.45.12");
  }

  @Test
  void theLocalEndIsTheNodesAddressOfTheRemotesFamily() {
    assertThat(TunnelEnd.local(NODE2, "fd00:172:31:45::11")).isEqualTo("fd00:172:31:45::12");
    assertThat(TunnelEnd.local(NODE2, "172.31.45.11")).isEqualTo("172.31.45.12");
  }
}
