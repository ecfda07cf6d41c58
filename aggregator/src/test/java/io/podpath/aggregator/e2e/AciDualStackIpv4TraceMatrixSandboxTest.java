package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The ACI matrix's IPv4 rows on a dual-stack ACI sandbox (both families in the endpoint files, the
 * IPv4 and IPv6 flows side by side): every row of {@link AciTraceMatrixSandboxTest} traced and
 * probed with {@code --family 4}.
 */
@SandboxConfig(nodes = 2, podsPerNode = 3, mode = Mode.ACI, ipFamily = IpFamily.DUAL)
class AciDualStackIpv4TraceMatrixSandboxTest extends AciTraceMatrixSandboxTest {
  @Override
  int family() {
    return 4;
  }
}
