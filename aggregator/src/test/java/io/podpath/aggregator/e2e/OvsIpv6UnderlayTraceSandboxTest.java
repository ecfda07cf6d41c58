package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The IPv6-underlay rows on the plain-OVS mode ({@code --mode ovs --underlay ipv6}, dual-stack
 * pods): each per-peer port {@code gnv-nodeJ} has the peer's IPv6 address as remote_ip, so both
 * families' pod traffic is stitched to the node behind it, a deleted port is named, and plain
 * Geneve (no option) over IPv6 adds 70 bytes, against real packets.
 */
@SandboxConfig(nodes = 2, mode = Mode.OVS, ipFamily = IpFamily.DUAL, ipv6Underlay = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OvsIpv6UnderlayTraceSandboxTest extends Ipv6UnderlayTraceSandboxTest {
  /** IPv6 40, UDP 8, Geneve 8, inner Ethernet 14: 20 more than the 50 of ovs mode over IPv4. */
  @Override
  int tunnelOverhead() {
    return 70;
  }

  /** node1's only tunnel port is gone, so no port is left to name the encap type. */
  @Override
  String missingTunnel(String node2Ipv6) {
    return "no tunnel from node1 to node2 (" + node2Ipv6 + ")";
  }

  /**
   * No CNI annotation names an encap IP here, so the first InternalIP (IPv4) stands in while every
   * tunnel runs over IPv6: the sweep still finds the full mesh (the agents match the other family's
   * digest, the aggregator counts a tunnel to either InternalIP), instead of a FAIL on a healthy
   * cluster.
   */
  // last: run right before the tunnel knob, the sweep left node1 -> node2 dead after `fix tunnel`
  // in two of three runs; the cause is not known (by hand, sweep, break and fix work)
  @Test
  @Order(Integer.MAX_VALUE)
  void aSweepFindsTheFullTunnelMeshOverTheIpv6Underlay() throws Exception {
    MatrixCli.Run r = MatrixCli.cli("--aggregator", aggregatorAddress(), "sweep", "-o", "json");
    List<String> tunnelChecks = new ArrayList<>();
    collect(MatrixCli.JSON.readTree(r.out()), "", tunnelChecks);
    assertThat(tunnelChecks).as(r.err()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(tunnelChecks).allMatch(c -> c.contains(" OK "), "every tunnels/tunnel-mesh is OK");
  }

  /** "node id STATUS summary" of every tunnels and tunnel-mesh result, wherever the JSON has it. */
  private static void collect(JsonNode n, String node, List<String> out) {
    String here = n.path("node").asText(node);
    if (Set.of("tunnels", "tunnel-mesh").contains(n.path("id").asText())) {
      out.add(
          here
              + " "
              + n.path("id").asText()
              + " "
              + n.path("status").asText()
              + " "
              + n.path("summary").asText());
    }
    n.elements().forEachRemaining(c -> collect(c, here, out));
  }
}
