package io.podpath.agent.checks;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * {@link AciMatrix} on an IPv6-only ACI sandbox (opflex-agent's IPv6 flows, pods found by their
 * IPv6 address, VXLAN to the leaf on the IPv4 underlay): every knob flips its check in IPv6 too.
 */
@SandboxConfig(nodes = 3, mode = Mode.ACI, ipFamily = IpFamily.IPV6, apps = false)
class AciIpv6ChecksSandboxTest extends AciMatrix {}
