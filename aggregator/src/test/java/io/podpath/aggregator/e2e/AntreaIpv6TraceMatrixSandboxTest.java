package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The Antrea matrix on an IPv6-only sandbox (Antrea's IPv6 flows in the same tables, the IPv6 table
 * passing neighbour discovery NORMAL, conntrack zone 65510, peer gateways pinned to the global
 * virtual MAC): every row and the IngressDefault drop of {@link AntreaTraceMatrixSandboxTest},
 * traced and probed in IPv6.
 */
@SandboxConfig(nodes = 2, mode = Mode.ANTREA, ipFamily = IpFamily.IPV6)
class AntreaIpv6TraceMatrixSandboxTest extends AntreaTraceMatrixSandboxTest {
  @Override
  int family() {
    return 6;
  }
}
