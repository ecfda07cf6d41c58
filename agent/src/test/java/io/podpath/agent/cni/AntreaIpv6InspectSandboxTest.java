package io.podpath.agent.cni;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * {@link AntreaInspectSandboxTest} on an IPv6-only Antrea sandbox: pods found by the Port row's ids
 * (confirmed by ifindex) report their IPv6 addresses as their own namespace holds them.
 */
@SandboxConfig(nodes = 2, mode = Mode.ANTREA, ipFamily = IpFamily.IPV6, apps = false)
class AntreaIpv6InspectSandboxTest extends AntreaInspectSandboxTest {}
