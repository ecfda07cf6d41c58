package io.podpath.agent.checks;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The fault knobs on a REAL IPv6-only plain-OVS sandbox whose Geneve runs over IPv6 ({@code --mode
 * ovs --ip-family ipv6 --underlay ipv6}: each per-peer port's remote_ip is the peer's IPv6
 * address), so a lost peer is named by that address and the mtu check sizes the tunnel over IPv6.
 */
@SandboxConfig(
    nodes = 3,
    mode = Mode.OVS,
    ipFamily = IpFamily.IPV6,
    ipv6Underlay = true,
    apps = false)
class OvsIpv6UnderlayFaultsSandboxTest extends KubeProxyIpv6Faults {
  @Override
  String tunnelPort() {
    return "gnv-node";
  }

  @Override
  String missingTunnelToNode3() {
    return "no tunnel to node3 (" + m.encap.apply(sandbox.node("node3")) + ")";
  }
}
