package io.podpath.agent.checks;

import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * RunChecks on {@code --mode sdn} (OpenShift SDN): br0, tun0, vxlan0 whose peers are read from the
 * flows' {@code set_field:IP->tun_dst}; SDN names no pod in OVSDB, so every pod is found by its IP;
 * a lost peer is a lost HostSubnet flow set.
 */
@SandboxConfig(nodes = 3, mode = Mode.SDN, apps = false)
class SdnChecksSandboxTest extends FlowTunnelChecksMatrix {
  @Override
  String bridge() {
    return "br0";
  }

  @Override
  String tunnelPort() {
    return "vxlan0";
  }

  @Override
  String gateway() {
    return "tun0";
  }
}
