package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The Kube-OVN matrix on a dual-stack sandbox asked for IPv4 with {@code --family 4}: with both
 * families on every pod, switch, router port and load balancer, the IPv4 rows still agree with real
 * IPv4 packets.
 */
@SandboxConfig(nodes = 2, mode = Mode.KUBE_OVN, ipFamily = IpFamily.DUAL)
class KubeOvnDualStackIpv4TraceMatrixSandboxTest extends KubeOvnTraceMatrixSandboxTest {
  @Override
  int family() {
    return 4;
  }
}
