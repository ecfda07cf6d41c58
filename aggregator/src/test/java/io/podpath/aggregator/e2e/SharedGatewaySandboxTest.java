package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Conntrack;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Probe;
import io.podpath.testkit.ProbeResult;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OVN-Kubernetes' shared gateway ({@code hack/sandbox up --gateway-mode shared}): pod egress leaves
 * through the node's gateway router and breth0, never the node kernel's FORWARD path. Each row's
 * verdict against real packets ({@code hack/sandbox probe}).
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SandboxConfig(nodes = 2, sharedGateway = true)
class SharedGatewaySandboxTest {
  private Sandbox sb;
  private SandboxAggregator aggregator;

  @BeforeAll
  void start(Sandbox sandbox) {
    sb = sandbox;
    aggregator = SandboxAggregator.start(sandbox);
  }

  @AfterAll
  void stop() {
    if (aggregator != null) {
      aggregator.close();
    }
  }

  private TraceMatrix.Traced trace(SandboxAggregator agg, String src, String dst, String... opts)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("--aggregator", agg.address(), "trace", src, dst));
    args.addAll(List.of(opts));
    String[] base = args.toArray(String[]::new);
    MatrixCli.Run json = MatrixCli.cli(MatrixCli.concat(base, "-o", "json"));
    MatrixCli.Run text = MatrixCli.cli(base);
    assertThat(json.exit()).as("podpath trace %s %s: %s", src, dst, json.err()).isIn(0, 1);
    return new TraceMatrix.Traced(
        json.exit(), MatrixCli.JSON.readTree(json.out()), text.out() + text.err());
  }

  /**
   * pod → ext and its reply: out of node1's gateway router with the node IP as source, no kernel
   * hop on the way; then the same with ip_forward=0 on node1, which shared mode does not need.
   */
  @Test
  void podToExtLeavesThroughTheGatewayRouterEvenWithoutIpForward() throws Exception {
    String pod = "default/client-1";
    String nodeIp = sb.nodeIp("node1");
    for (boolean noForward : List.of(false, true)) {
      if (noForward) {
        sb.breakFault(Fault.IP_FORWARD, "node1");
      }
      try {
        for (Probe p : List.of(Probe.tcp(80), Probe.icmp())) {
          // the connection first: its reply is traced as established, through GR, which learnt
          // ext's MAC from the forward's ARP
          ProbeResult real = sb.probe(pod, "ext", p);
          TraceMatrix.Traced t =
              trace(aggregator, pod, "ip:" + sb.externalIp(), TraceMatrix.opts(p));
          String row = pod + " -> ext " + p.protocol() + (noForward ? " (ip_forward=0)" : "");
          assertThat(real.delivered()).as(row + ": real packets: " + real.reason()).isTrue();
          assertThat(t.forward()).as(row + "\n" + t.text()).isEqualTo("LEFT_CLUSTER");
          assertThat(t.reply()).as(row + "\n" + t.text()).isEqualTo("DELIVERED");
          assertThat(t.exit()).as(row + "\n" + t.text()).isZero();
          assertThat(t.text()).as(row).contains("with source " + nodeIp + " (SNAT in OVS");
          for (JsonNode n : t.first().path("forward").path("nodes")) {
            assertThat(n.has("kernel")).as(row + ": a kernel hop\n" + t.text()).isFalse();
          }
          Conntrack.flush(sb);
        }
      } finally {
        if (noForward) {
          sb.fix(Fault.IP_FORWARD, "node1");
        }
      }
    }
  }

  /**
   * Cross-node pod ↔ pod: on the userspace datapath the Geneve packet is routed by the underlay
   * address on breth0, so ofproto/trace shows it crossing breth0 to the NIC after the push; that is
   * the tunnel's way out, and the trace is DELIVERED both ways as the real packets are.
   */
  @Test
  void crossNodePodToPodIsDeliveredThroughTheTunnel() throws Exception {
    for (String[] pair :
        List.of(
            new String[] {"default/client-1", "default/web-2"},
            new String[] {"default/client-2", "default/web-1"})) {
      for (Probe p : List.of(Probe.tcp(80), Probe.icmp())) {
        ProbeResult real = sb.probe(pair[0], pair[1], p);
        TraceMatrix.Traced t = trace(aggregator, pair[0], pair[1], TraceMatrix.opts(p));
        String row = pair[0] + " -> " + pair[1] + " " + p.protocol();
        assertThat(real.delivered()).as(row + ": real packets: " + real.reason()).isTrue();
        assertThat(t.forward()).as(row + "\n" + t.text()).isEqualTo("DELIVERED");
        assertThat(t.reply()).as(row + "\n" + t.text()).isEqualTo("DELIVERED");
        assertThat(t.exit()).as(row + "\n" + t.text()).isZero();
        Conntrack.flush(sb);
      }
    }
  }
}
