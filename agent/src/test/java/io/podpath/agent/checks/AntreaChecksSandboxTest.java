package io.podpath.agent.checks;

import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * RunChecks on {@code --mode antrea}: br-int, antrea-gw0, flow-based Geneve antrea-tun0 whose peers
 * are written as {@code load:IP->NXM_NX_TUN_IPV4_DST[]} in L3Forwarding, pods named on their Port
 * rows; a lost peer is a lost route on the node.
 */
@SandboxConfig(nodes = 3, mode = Mode.ANTREA, apps = false)
class AntreaChecksSandboxTest extends FlowTunnelChecksMatrix {
  @Override
  String bridge() {
    return "br-int";
  }

  @Override
  String tunnelPort() {
    return "antrea-tun0";
  }

  @Override
  String gateway() {
    return "antrea-gw0";
  }
}
