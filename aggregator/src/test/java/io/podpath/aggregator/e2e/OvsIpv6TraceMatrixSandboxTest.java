package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;
import org.junit.jupiter.api.Test;

/**
 * The plain-OVS mode on an IPv6-only sandbox: IPv6 flows beside the IPv4 ones (per-peer Geneve
 * ports, split horizon, neighbour solicitations to the port owning the target), the gateway on tun0
 * and kube-proxy's ip6tables Service. Pod → pod on one node and across, pod → ext, the Service rows
 * and its NodePorts on the nodes' IPv6 addresses against real IPv6 packets (the mode has no
 * NetworkPolicies).
 */
@SandboxConfig(nodes = 2, mode = Mode.OVS, ipFamily = IpFamily.IPV6)
class OvsIpv6TraceMatrixSandboxTest extends CniTraceRows {
  @Override
  int family() {
    return 6;
  }

  @Override
  void assertTunnelPort(String portName, String to, String text) {
    assertThat(portName).as(text).isEqualTo("gnv-" + to); // one Geneve port per peer
  }

  @Override
  String serviceHandOffPort() {
    return "tun0"; // kube-proxy on the host
  }

  /**
   * ext → NodePort on each node's IPv6 address (kube-proxy's ip6tables KUBE-NODEPORTS → KUBE-EXT →
   * KUBE-SVC, masqueraded by KUBE-POSTROUTING), TCP and UDP, and the TCP rule removed: {@link
   * FamilyNodePorts}.
   */
  @Test
  void ipv6NodePortsFromOutsideAgreeWithRealPackets() throws Exception {
    assertThat(FamilyNodePorts.disagreements(sb, 6))
        .as("IPv6 NodePort rows where podpath and real packets disagree")
        .isEmpty();
  }
}
