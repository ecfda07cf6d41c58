package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.testkit.Mode;
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
    denyIngressWeb2(
        t -> {
          // the ACL stage, the ACL (named after its port group) and the policy, read from the
          // np=NS/NAME of the port group holding the ACL
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
        });
  }
}
