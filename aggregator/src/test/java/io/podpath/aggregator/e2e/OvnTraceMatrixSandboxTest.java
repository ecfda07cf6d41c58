package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.testkit.Probe;
import io.podpath.testkit.SandboxConfig;
import org.junit.jupiter.api.Test;

/** The scenario matrix on an OVN-Kubernetes-style sandbox (prefix ag, underlay 172.31.4.0/24). */
@SandboxConfig(nodes = 2, prefix = "ag", index = 4)
class OvnTraceMatrixSandboxTest extends TraceMatrix {
  /** NetworkPolicies exist only in OVN mode (ACLs with OVN-Kubernetes' external_ids). */
  @Test
  void denyIngressPolicyDropsAndTheReverseStillWorks() throws Exception {
    sb.policyDenyIngress("default/web-2");
    try {
      Traced t = podToPod("default/client-1", "default/web-2", Probe.tcp(80));
      assertThat(t.forward()).isEqualTo("DROPPED");
      JsonNode fwd = t.first().path("forward");
      assertThat(fwd.path("droppedNode").asText()).isEqualTo("node2");
      assertThat(fwd.path("drop").path("networkPolicy").path("name").asText())
          .isEqualTo("deny-ingress-web-2");
      assertThat(fwd.path("summary").asText())
          .contains("by NetworkPolicy default/deny-ingress-web-2 (ingress)");
      // The reverse direction: web-2 may still open connections, and their replies come back.
      podToPod("default/web-2", "default/client-1", Probe.tcp(80));
    } finally {
      sb.clearPolicies();
    }
  }

  /**
   * -v lists the connection's conntrack entries on each node (dpctl/dump-conntrack), and every node
   * whose datapath actions use ct() shows its table's fill.
   */
  @Test
  void verboseShowsTheConnectionsConntrackEntries() throws Exception {
    Probe udp = Probe.udp(53).fromPort(41003);
    assertThat(sb.probe("default/client-1", "default/web-2", udp).delivered()).isTrue();
    Traced t =
        trace(
            "default/client-1",
            "default/web-2",
            "--udp",
            "--dst-port",
            "53",
            "--src-port",
            "41003",
            "-v");
    JsonNode nodes = t.first().path("forward").path("nodes");
    assertThat(nodes).as(t.text()).isNotEmpty();
    for (JsonNode n : nodes) {
      assertThat(n.path("conntrack").path(0).path("table").asText()).as(t.text()).isEqualTo("ovs");
      assertThat(n.path("conntrackEntries").toString())
          .as(t.text())
          .contains("sport=41003,dport=53");
    }
    assertThat(t.text()).contains("ct entry udp,orig=(src=" + sb.pod("default/client-1").ip());
  }

  @Override
  boolean servicesInsideOvs() {
    return true;
  }
}
