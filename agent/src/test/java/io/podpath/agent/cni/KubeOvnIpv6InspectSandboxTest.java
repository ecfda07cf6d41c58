package io.podpath.agent.cni;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * {@link KubeOvnInspectSandboxTest} on an IPv6-only Kube-OVN sandbox: the pods found by {@code
 * iface-id=<pod>.<ns>} report their IPv6 addresses as their own namespace holds them.
 */
@SandboxConfig(nodes = 2, mode = Mode.KUBE_OVN, ipFamily = IpFamily.IPV6, apps = false)
class KubeOvnIpv6InspectSandboxTest extends KubeOvnInspectSandboxTest {}
