package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The IPv6-underlay rows on the plain-OVS mode ({@code --mode ovs --underlay ipv6}, dual-stack
 * pods): each per-peer port {@code gnv-nodeJ} has the peer's IPv6 address as remote_ip, so both
 * families' pod traffic is stitched to the node behind it, a deleted port is named, and plain
 * Geneve (no option) over IPv6 adds 70 bytes, against real packets.
 */
@SandboxConfig(nodes = 2, mode = Mode.OVS, ipFamily = IpFamily.DUAL, ipv6Underlay = true)
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
}
