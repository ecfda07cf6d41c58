package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.testkit.ExecResult;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Mode;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * service-programming on a REAL 3-node ovs-mode sandbox whose Service is programmed in kube-proxy's
 * nftables layout ({@code hack/sandbox kube-proxy nftables}: table ip kube-proxy, no KUBE-*
 * iptables chains), shared with the other ovs-mode tests of this JVM and switched back to iptables
 * after. Each verdict is compared with real packets through those nft rules.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 3, mode = Mode.OVS, apps = false)
class KubeProxyNftChecksSandboxTest {
  static CheckMatrix m;
  static Sandbox sb;

  @BeforeAll
  static void start(Sandbox s) throws Exception {
    sb = s;
    kubeProxy("nftables");
    m = new CheckMatrix(s);
  }

  @AfterAll
  static void stop() throws Exception {
    if (m != null) {
      m.close();
    }
    kubeProxy("iptables");
  }

  static void kubeProxy(String mode) {
    ExecResult r = sb.script(Duration.ofSeconds(60), "kube-proxy", mode);
    assertThat(r.ok()).as("hack/sandbox kube-proxy %s: %s", mode, r.stderr()).isTrue();
  }

  @Test
  void healthyNodesAreReadFromTheNftTableAndPacketsFollowIt() throws Exception {
    // no iptables Service chain is left: what answers below went through kube-proxy's nft table
    assertThat(sb.exec("node2", "iptables-save", "-t", "nat").stdout()).doesNotContain("KUBE-");
    assertThat(sb.exec("node2", "nft", "list", "table", "ip", "kube-proxy").stdout())
        .contains("numgen random mod 3 vmap");
    assertThat(sb.probe("default/client-2", "svc/default/web", Probe.tcp(80)).delivered())
        .as("client-2 -> svc/default/web tcp/80 through node2's nft rules")
        .isTrue();
    m.awaitHealthy();
    Map<String, Map<String, CheckResult>> s = m.sweep();
    for (String node : s.keySet()) {
      CheckResult c = CheckMatrix.result(s, node, "service-programming");
      assertThat(c.getStatus()).as(CheckMatrix.describe(s)).isEqualTo(CheckStatus.CHECK_STATUS_OK);
      assertThat(c.getSummary())
          .as(CheckMatrix.describe(s))
          .contains("nftables ip kube-proxy map service-ips")
          .contains("with their ready endpoints");
      assertThat(c.getEvidenceList().toString())
          .contains("nft -j list table ip kube-proxy")
          .contains("10.244.3.3:80");
    }
  }

  @Test
  void staleBackendInTheNftVmapFailsNamingTheServiceAndTheBackend() throws Exception {
    m.faultCase(
        Fault.STALE_BACKEND,
        null,
        Map.of("node2", Set.of("service-programming")),
        Set.of(),
        "10.244.2.99:80",
        () -> {
          // a quarter of node2's new connections are sent to the stale endpoint chain
          int delivered = 0;
          int failed = 0;
          for (int i = 0; i < 30 && failed == 0; i++) {
            if (sb.probe("default/client-2", "svc/default/web", Probe.tcp(80)).delivered()) {
              delivered++;
            } else {
              failed++;
            }
          }
          assertThat(failed).as("the packets agree: some connections from node2 die").isPositive();
          assertThat(delivered + failed).isGreaterThan(0);
        });
    CheckResult c = CheckMatrix.result(m.lastFault, "node2", "service-programming");
    assertThat(c.getSummary())
        .contains("stale backends")
        .contains("default/web")
        .contains("10.244.2.99:80");
    assertThat(c.getRemediation()).contains("kube-proxy on node2");
  }

  @Test
  void serviceIpsElementRemovedFailsNamingThePortal() throws Exception {
    m.faultCase(
        Fault.LB_REMOVED,
        null,
        Map.of("node2", Set.of("service-programming")),
        Set.of(),
        "tcp " + sb.serviceIp() + ":80",
        () -> {
          assertThat(sb.probe("default/client-2", "svc/default/web", Probe.tcp(80)).delivered())
              .as("the packets agree: client-2 -> svc/default/web tcp/80 dies")
              .isFalse();
          assertThat(sb.probe("default/client-1", "svc/default/web", Probe.tcp(80)).delivered())
              .as("client-1 (node1) still reaches it")
              .isTrue();
        });
    CheckResult c = CheckMatrix.result(m.lastFault, "node2", "service-programming");
    assertThat(c.getSummary())
        .contains("not programmed on node2 in nftables ip kube-proxy map service-ips")
        .contains("default/web");
  }

  @Test
  void nodePortElementRemovedFailsServiceProgrammingThere() throws Exception {
    // the service-nodeports element (-> external- -> service- -> endpoint- chains) node2 loses
    MatrixCases.nodePortCase(m, "kube-proxy");
    assertThat(CheckMatrix.result(m.lastFault, "node2", "service-programming").getSummary())
        .contains("nftables ip kube-proxy map service-nodeports");
  }
}
