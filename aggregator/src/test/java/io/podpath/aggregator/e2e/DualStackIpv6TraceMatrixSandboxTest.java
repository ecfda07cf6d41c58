package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.SandboxConfig;

/**
 * The matrix in IPv6 on a dual-stack OVN sandbox ({@code --family 6}); {@link
 * DualStackIpv4TraceMatrixSandboxTest} runs the same pod pairs in IPv4 on the same sandbox.
 */
@SandboxConfig(nodes = 2, ipFamily = IpFamily.DUAL)
class DualStackIpv6TraceMatrixSandboxTest extends FamilyTraceMatrix {
  @Override
  int family() {
    return 6;
  }
}
