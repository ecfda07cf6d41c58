package io.podpath.agent.checks;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * {@link KubeOvnMatrix} on an IPv6-only Kube-OVN sandbox (pods, join, Service and load balancers in
 * IPv6, Geneve over the IPv4 underlay): every knob flips its check in IPv6 too.
 */
@SandboxConfig(nodes = 3, mode = Mode.KUBE_OVN, ipFamily = IpFamily.IPV6, apps = false)
class KubeOvnIpv6ChecksSandboxTest extends KubeOvnMatrix {}
