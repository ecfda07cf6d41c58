package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The Antrea matrix's IPv4 rows on a dual-stack sandbox whose Geneve runs over IPv6: IPv4 inside,
 * {@code tun_ipv6_dst} outside, stitched to the peer's IPv6 underlay address, against real packets.
 */
@SandboxConfig(nodes = 2, mode = Mode.ANTREA, ipFamily = IpFamily.DUAL, ipv6Underlay = true)
class AntreaIpv4OverIpv6UnderlayTraceMatrixSandboxTest extends AntreaTraceMatrixSandboxTest {
  @Override
  int family() {
    return 4;
  }
}
