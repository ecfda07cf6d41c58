package io.podpath.aggregator.e2e;

import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/** The same matrix with plain OVS and static flows (the testkit claims a free index). */
@SandboxConfig(nodes = 2, mode = Mode.OVS)
class OvsTraceMatrixSandboxTest extends TraceMatrix {
  @Override
  boolean servicesInsideOvs() {
    return false;
  }
}
