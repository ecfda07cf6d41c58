package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.testkit.Mode;
import io.podpath.testkit.Probe;
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
    sb.policyDenyIngress("default/web-2");
    try {
      Traced t = trace("default/client-1", "default/web-2", Probe.tcp(80));
      assertThat(t.verdict("forward")).as(t.text()).isEqualTo("DROPPED");
      assertThat(t.first().path("forward").path("droppedNode").asText())
          .as(t.text())
          .isEqualTo("node2");
      assertThat(t.first().path("forward").path("drop").path("table").asInt())
          .as(t.text())
          .isEqualTo(100);
      // named by the table's role and the flow that dropped, not by the conntrack step before it
      assertThat(t.first().path("forward").path("drop").path("reason").asText())
          .as(t.text())
          .contains("table 100 (IngressDefault (NetworkPolicy ingress default drop))")
          .contains("priority 200 actions=drop")
          .doesNotContain("Conntrack");
      String wrong = row("default/client-1", "default/web-2", Probe.tcp(80), false, t);
      assertThat(wrong).as("podpath and real packets disagree").isNull();

      Traced back = trace("default/web-2", "default/client-1", Probe.tcp(80));
      assertThat(back.bothDelivered()).as(back.text()).isTrue();
      assertThat(row("default/web-2", "default/client-1", Probe.tcp(80), true, back))
          .as("podpath and real packets disagree")
          .isNull();
    } finally {
      sb.clearPolicies();
    }
  }
}
