package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The Kube-OVN matrix on a dual-stack sandbox (every pod, ovn-default, join and the load balancers
 * in both families), asked for IPv6 with {@code --family 6}: the second family of each pod and the
 * Service's second VIP, as {@link KubeOvnTraceMatrixSandboxTest} checks the first.
 */
@SandboxConfig(nodes = 2, mode = Mode.KUBE_OVN, ipFamily = IpFamily.DUAL)
class KubeOvnDualStackTraceMatrixSandboxTest extends KubeOvnTraceMatrixSandboxTest {
  @Override
  int family() {
    return 6;
  }
}
