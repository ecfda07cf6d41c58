package io.podpath.agent.checks;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fault knobs on a REAL IPv6-only Antrea sandbox whose Geneve runs over IPv6 ({@code
 * --ip-family ipv6 --underlay ipv6}: L3Forwarding writes {@code set_field:IPv6->tun_ipv6_dst}, so a
 * lost peer is named by that field).
 */
@SandboxConfig(
    nodes = 3,
    mode = Mode.ANTREA,
    ipFamily = IpFamily.IPV6,
    ipv6Underlay = true,
    apps = false)
class AntreaIpv6FaultsSandboxTest extends KubeProxyIpv6Faults {
  @Override
  String tunnelPort() {
    return "antrea-tun0";
  }

  /** An unreachable IPv6 /128 to node2's client pod overrides antrea-gw0's subnet route. */
  @Test
  void anUnreachableIpv6RouteToALocalPodFailsRoutesAgainstAntreaGw0() throws Exception {
    MatrixCases.podRouteCase(m, "antrea-gw0", Set.of("dns"));
  }

  @Override
  String missingTunnelToNode3() {
    return "tun_ipv6_dst=" + m.encap.apply(sandbox.node("node3"));
  }
}
