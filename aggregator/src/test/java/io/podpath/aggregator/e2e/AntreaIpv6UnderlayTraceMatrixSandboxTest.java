package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The Antrea matrix on a dual-stack sandbox whose Geneve runs over IPv6 ({@code --underlay ipv6}:
 * L3Forwarding writes {@code set_field:<peer IPv6>->tun_ipv6_dst}): IPv6 pod rows stitched to the
 * peer's IPv6 underlay address, the Service's IPv6 endpoints, pod → ext and the IngressDefault
 * drop, against real packets.
 */
@SandboxConfig(nodes = 2, mode = Mode.ANTREA, ipFamily = IpFamily.DUAL, ipv6Underlay = true)
class AntreaIpv6UnderlayTraceMatrixSandboxTest extends AntreaTraceMatrixSandboxTest {
  @Override
  int family() {
    return 6;
  }
}
