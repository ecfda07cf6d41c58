package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.SandboxConfig;

/** The IPv6 matrix on an IPv6-only OVN sandbox (pods and Service have IPv6 addresses only). */
@SandboxConfig(nodes = 2, ipFamily = IpFamily.IPV6)
class Ipv6TraceMatrixSandboxTest extends FamilyTraceMatrix {
  @Override
  int family() {
    return 6;
  }
}
