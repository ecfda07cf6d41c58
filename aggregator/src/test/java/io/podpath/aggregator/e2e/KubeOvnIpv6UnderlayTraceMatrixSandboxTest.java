package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The Kube-OVN matrix on a dual-stack sandbox whose chassis encapsulate over IPv6 ({@code
 * ovn-encap-ip} = the node's IPv6 underlay address, {@code --underlay ipv6}): IPv6 pod rows
 * stitched through Geneve between the nodes' IPv6 addresses, the Service's IPv6 endpoints, pod →
 * ext and the policy drop, against real packets.
 */
@SandboxConfig(nodes = 2, mode = Mode.KUBE_OVN, ipFamily = IpFamily.DUAL, ipv6Underlay = true)
class KubeOvnIpv6UnderlayTraceMatrixSandboxTest extends KubeOvnTraceMatrixSandboxTest {
  @Override
  int family() {
    return 6;
  }
}
