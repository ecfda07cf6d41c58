package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The Kube-OVN matrix on an IPv6-only sandbox (ovn-default fd00:10:244::/48, the Service's VIP
 * [fd00:10:96::a] on the cluster load balancers, Geneve over the IPv4 underlay): every row and the
 * policy drop of {@link KubeOvnTraceMatrixSandboxTest}, traced and probed in IPv6.
 */
@SandboxConfig(nodes = 2, mode = Mode.KUBE_OVN, ipFamily = IpFamily.IPV6)
class KubeOvnIpv6TraceMatrixSandboxTest extends KubeOvnTraceMatrixSandboxTest {
  @Override
  int family() {
    return 6;
  }
}
