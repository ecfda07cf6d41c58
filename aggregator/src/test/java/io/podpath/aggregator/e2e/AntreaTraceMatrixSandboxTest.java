package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;
import org.junit.jupiter.api.Test;

/**
 * The real-packet matrix on {@code --mode antrea} (Antrea ≤1.5: pods named on the Port row,
 * flow-based Geneve {@code antrea-tun0} whose peer L3Forwarding writes as {@code
 * load:0xHEX->NXM_NX_TUN_IPV4_DST[]}, Services by kube-proxy's iptables behind {@code antrea-gw0}),
 * and a NetworkPolicy drop as Antrea realises it (an IngressDefault drop for the pod's ofport).
 */
@SandboxConfig(nodes = 2, mode = Mode.ANTREA)
class AntreaTraceMatrixSandboxTest extends CniTraceRows {
  @Override
  void assertTunnelPort(String portName, String to, String text) {
    assertThat(portName).as(text).isEqualTo("antrea-tun0");
  }

  @Override
  String serviceHandOffPort() {
    return "antrea-gw0"; // the Service CIDR goes to the gateway, kube-proxy DNATs in the kernel
  }

  @Test
  void denyIngressPolicyDropsInIngressDefaultAndTheReverseStillWorks() throws Exception {
    denyIngressWeb2(
        t -> {
          assertThat(t.first().path("forward").path("drop").path("table").asInt())
              .as(t.text())
              .isEqualTo(100);
          // named by the table's role and the dropping flow, not the conntrack step before it
          assertThat(t.first().path("forward").path("drop").path("reason").asText())
              .as(t.text())
              .contains("table 100 (IngressDefault (NetworkPolicy ingress default drop))")
              .contains("priority 200 actions=drop")
              .doesNotContain("Conntrack");
        });
  }
}
