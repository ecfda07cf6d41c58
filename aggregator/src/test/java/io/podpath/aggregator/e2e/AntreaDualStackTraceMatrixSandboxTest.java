package io.podpath.aggregator.e2e;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The Antrea matrix on a dual-stack sandbox (IPv4 and IPv6 flows side by side in the same tables),
 * asked for IPv6 with {@code --family 6}: the pods' second family, against real IPv6 packets.
 */
@SandboxConfig(nodes = 2, mode = Mode.ANTREA, ipFamily = IpFamily.DUAL)
class AntreaDualStackTraceMatrixSandboxTest extends AntreaTraceMatrixSandboxTest {
  @Override
  int family() {
    return 6;
  }
}
