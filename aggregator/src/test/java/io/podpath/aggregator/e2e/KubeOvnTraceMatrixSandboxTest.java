package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/**
 * The real-packet matrix on {@code --mode kube-ovn} (real OVN with Kube-OVN's names: LSPs {@code
 * <pod>.<ns>} on one {@code ovn-default} switch, Geneve between chassis, Services as OVN load
 * balancers). The mode has no NetworkPolicy, so there is no drop row.
 */
@SandboxConfig(nodes = 2, mode = Mode.KUBE_OVN)
class KubeOvnTraceMatrixSandboxTest extends CniTraceRows {
  @Override
  void assertTunnelPort(String portName, String to, String text) {
    // ovn-controller names its per-chassis Geneve ports ovn-<chassis>-N
    assertThat(portName).as(text).startsWith("ovn-");
  }

  @Override
  String serviceHandOffPort() {
    return null; // OVN's load balancer picks the endpoint inside OVS
  }
}
