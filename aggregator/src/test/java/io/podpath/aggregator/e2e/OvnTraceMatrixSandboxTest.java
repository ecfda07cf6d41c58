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

  @Override
  boolean servicesInsideOvs() {
    return true;
  }
}
