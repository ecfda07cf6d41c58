package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The ACI matrix on an IPv6-only sandbox (opflex-agent's IPv6 flows beside the IPv4 ones: port
 * security by the endpoint's IPv6 and link-local addresses, the router as the link-local address of
 * the fabric router MAC, routing in table 7 with {@code dec_ttl}, VXLAN to the leaf on the IPv4
 * underlay): every row and the EPG contract drops of {@link AciTraceMatrixSandboxTest}, traced and
 * probed in IPv6.
 */
@SandboxConfig(nodes = 2, podsPerNode = 3, mode = Mode.ACI, ipFamily = IpFamily.IPV6)
class AciIpv6TraceMatrixSandboxTest extends AciTraceMatrixSandboxTest {
  @Override
  int family() {
    return 6;
  }
}
