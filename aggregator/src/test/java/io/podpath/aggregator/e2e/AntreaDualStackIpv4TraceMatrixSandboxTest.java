package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The Antrea matrix on a dual-stack sandbox asked for IPv4 with {@code --family 4}: beside the IPv6
 * flows, the IPv4 rows (Services through antrea-gw0 and kube-proxy included) still agree with real
 * IPv4 packets.
 */
@SandboxConfig(nodes = 2, mode = Mode.ANTREA, ipFamily = IpFamily.DUAL)
class AntreaDualStackIpv4TraceMatrixSandboxTest extends AntreaTraceMatrixSandboxTest {
  @Override
  int family() {
    return 4;
  }
}
