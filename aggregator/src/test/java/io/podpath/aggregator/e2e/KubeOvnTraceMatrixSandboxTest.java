package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.testkit.Mode;
import io.podpath.testkit.Probe;
import io.podpath.testkit.SandboxConfig;
import org.junit.jupiter.api.Test;

/**
 * The real-packet matrix on {@code --mode kube-ovn} (real OVN with Kube-OVN's names: LSPs {@code
 * <pod>.<ns>} on one {@code ovn-default} switch, Geneve between chassis, Services as OVN load
 * balancers), and a NetworkPolicy drop as Kube-OVN realises it (a port group and its ACL).
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

  @Test
  void denyIngressPolicyDropsOnTheDestinationNodeAndTheReverseStillWorks() throws Exception {
    sb.policyDenyIngress("default/web-2");
    try {
      Traced t = trace("default/client-1", "default/web-2", Probe.tcp(80));
      assertThat(t.verdict("forward")).as(t.text()).isEqualTo("DROPPED");
      assertThat(t.first().path("forward").path("droppedNode").asText())
          .as(t.text())
          .isEqualTo("node2");
      // the ACL stage, the ACL (Kube-OVN names it after its port group) and the policy, from the
      // port group holding the ACL (np=NS/NAME)
      assertThat(t.first().path("forward").path("drop").path("stage").asText())
          .as(t.text())
          .isEqualTo("ls_out_acl");
      assertThat(
              t.first()
                  .path("forward")
                  .path("nodes")
                  .path(1)
                  .path("outcome")
                  .path("summary")
                  .asText())
          .as(t.text())
          .contains("NetworkPolicy default/deny-ingress-web-2 (ingress)")
          .contains("stage ls_out_acl")
          .contains("ACL deny.ingress.web.2.default");
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
