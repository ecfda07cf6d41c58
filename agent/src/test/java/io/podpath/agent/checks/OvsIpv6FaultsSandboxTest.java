package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.testkit.Fault;
import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Mode;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fault knobs on a REAL IPv6-only plain-OVS sandbox (ovs mode: IPv6 flows in table 0, tun0 as
 * the IPv6 gateway, kube-proxy's IPv6 proxier in ip6tables; Geneve ports per peer on the IPv4
 * underlay, so a lost peer is its missing port's remote_ip). Its routes check has no gateway port
 * to compare with (NOT_APPLICABLE), so no route knob.
 */
@SandboxConfig(nodes = 3, mode = Mode.OVS, ipFamily = IpFamily.IPV6, apps = false)
class OvsIpv6FaultsSandboxTest extends KubeProxyIpv6Faults {
  @Override
  String tunnelPort() {
    return "gnv-node";
  }

  @Override
  String missingTunnelToNode3() {
    return "remote_ip";
  }

  private static Probe nodePort6() {
    return Probe.tcp(Sandbox.NODEPORT_TCP).inFamily(6);
  }

  /**
   * NodePorts on: every node's IPv6 NodePorts are read from ip6tables KUBE-NODEPORTS with their
   * IPv6 endpoints; with node2's TCP rule removed there (break nodeport-removed),
   * service-programming FAILs on node2 naming the IPv6 NodePort, as real IPv6 packets through node2
   * die and node1's pass.
   */
  @Test
  void ipv6NodePortRemovedFailsServiceProgramming() throws Exception {
    String named = "NodePort tcp/" + Sandbox.NODEPORT_TCP + " (IPv6)";
    sandbox.nodePort(true);
    m.nodePorts = true;
    try {
      m.awaitHealthy();
      Map<String, Map<String, CheckResult>> s = m.sweep();
      for (String node : s.keySet()) {
        CheckResult c = CheckMatrix.result(s, node, "service-programming");
        assertThat(c.getSummary())
            .as(CheckMatrix.describe(s))
            .contains("NodePorts in ip6tables KUBE-NODEPORTS");
        assertThat(c.getEvidenceList().toString())
            .as(CheckMatrix.describe(s))
            .contains(named + " (default/web) backends in ip6tables KUBE-NODEPORTS")
            .contains("NodePort udp/" + Sandbox.NODEPORT_UDP + " (IPv6) (default/web) backends");
        assertThat(sandbox.probe("ext", node, nodePort6()).delivered()).as(node).isTrue();
      }
      m.faultCase(
          Fault.NODEPORT_REMOVED,
          null,
          Map.of("node2", Set.of("service-programming")),
          Set.of(),
          named,
          () -> {
            assertThat(sandbox.probe("ext", "node2", nodePort6()).delivered())
                .as("the packets agree: ext -> node2's IPv6 address dies")
                .isFalse();
            assertThat(sandbox.probe("ext", "node1", nodePort6()).delivered())
                .as("ext -> node1's IPv6 address still passes")
                .isTrue();
          });
      assertThat(CheckMatrix.result(m.lastFault, "node2", "service-programming").getSummary())
          .contains("not programmed on node2 in ip6tables KUBE-NODEPORTS");
    } finally {
      m.nodePorts = false;
      sandbox.nodePort(false);
    }
    m.awaitHealthy();
  }
}
