package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.SandboxConfig;

/** The matrix in IPv4 ({@code --family 4}) on the dual-stack sandbox of its IPv6 twin. */
@SandboxConfig(nodes = 2, ipFamily = IpFamily.DUAL)
class DualStackIpv4TraceMatrixSandboxTest extends FamilyTraceMatrix {
  @Override
  int family() {
    return 4;
  }
}
