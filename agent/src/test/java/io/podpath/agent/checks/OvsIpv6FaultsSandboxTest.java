package io.podpath.agent.checks;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The fault knobs on a REAL IPv6-only plain-OVS sandbox (ovs mode: IPv6 flows in table 0, tun0 as
 * the IPv6 gateway, kube-proxy's IPv6 proxier in ip6tables; Geneve ports per peer on the IPv4
 * underlay, so a lost peer is its missing port's remote_ip). Its routes check has no gateway port
 * to compare with (NOT_APPLICABLE), so no route knob.
 */
@SandboxConfig(nodes = 3, mode = Mode.OVS, ipFamily = IpFamily.IPV6, apps = false)
class OvsIpv6FaultsSandboxTest extends KubeProxyIpv6Faults {
  @Override
  String tunnelPort() {
    return "gnv-node";
  }

  @Override
  String missingTunnelToNode3() {
    return "remote_ip";
  }
}
