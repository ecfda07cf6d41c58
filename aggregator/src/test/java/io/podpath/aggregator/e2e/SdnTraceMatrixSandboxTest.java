package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.testkit.Conntrack;
import io.podpath.testkit.Mode;
import io.podpath.testkit.Probe;
import io.podpath.testkit.ProbeResult;
import io.podpath.testkit.SandboxConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real-packet matrix on {@code --mode sdn} (OpenShift SDN, multitenant): podpath's verdicts,
 * both directions, against {@code hack/sandbox probe} on the same endpoints. With 3 pods a node the
 * tenants are: {@code default} (global VNID 0) web-1, web-2; {@code blue} client-1, pod-2-3; {@code
 * red} pod-1-3, client-2 (hack/README.md).
 */
@SandboxConfig(nodes = 2, podsPerNode = 3, mode = Mode.SDN)
class SdnTraceMatrixSandboxTest extends CniTraceMatrix {
  /** NetNamespace netid of {@code blue}, as the sandbox's manifest gives it. */
  private static final long BLUE_VNID = 3881420;

  /** Two nodes, stitched through vxlan0 with tun_dst = the next node's IP. */
  private void stitched(JsonNode direction, String from, String to, long vni, String text) {
    JsonNode nodes = direction.path("nodes");
    assertThat(nodes.size()).as(text).isEqualTo(2);
    assertThat(nodes.get(0).path("node").asText()).as(text).isEqualTo(from);
    assertThat(nodes.get(1).path("node").asText()).as(text).isEqualTo(to);
    JsonNode tunnel = nodes.get(0).path("outcome").path("tunnel");
    assertThat(tunnel.path("portName").asText()).as(text).isEqualTo("vxlan0");
    assertThat(tunnel.path("remoteIp").asText()).as(text).isEqualTo(sb.nodeIp(to));
    assertThat(tunnel.path("vni").asLong()).as(text).isEqualTo(vni);
  }

  @Test
  void podToPodSameAndCrossNodeAgreeWithRealPackets() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Probe p : List.of(Probe.tcp(80), Probe.udp(53), Probe.icmp())) {
      Traced same = trace("blue/client-1", "default/web-1", p);
      allOn(same.first().path("forward"), "node1", same.text());
      wrong.add(row("blue/client-1", "default/web-1", p, same.bothDelivered(), same));

      Traced cross = trace("blue/client-1", "default/web-2", p);
      stitched(cross.first().path("forward"), "node1", "node2", BLUE_VNID, cross.text());
      stitched(cross.first().path("reply"), "node2", "node1", 0, cross.text());
      wrong.add(row("blue/client-1", "default/web-2", p, cross.bothDelivered(), cross));
    }
    // the same tenant on two nodes: the VNID travels in tun_id and node2 lets it in
    Traced tenant = trace("blue/client-1", "blue/pod-2-3", Probe.tcp(80));
    stitched(tenant.first().path("forward"), "node1", "node2", BLUE_VNID, tenant.text());
    wrong.add(row("blue/client-1", "blue/pod-2-3", Probe.tcp(80), tenant.bothDelivered(), tenant));
    wrong.removeIf(w -> w == null);
    assertThat(wrong).as("rows where podpath and real packets disagree").isEmpty();
  }

  @Test
  void multitenantIsolationDropsAreNamedAndAgreeWithRealPackets() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (String[] pair :
        List.of(
            new String[] {"blue/client-1", "red/pod-1-3", "node1"},
            new String[] {"blue/client-1", "red/client-2", "node2"})) {
      Traced t = trace(pair[0], pair[1], Probe.icmp());
      assertThat(t.verdict("forward")).as(t.text()).isEqualTo("DROPPED");
      assertThat(t.first().path("forward").path("droppedNode").asText())
          .as(t.text())
          .isEqualTo(pair[2]);
      assertThat(t.first().path("forward").path("summary").asText())
          .as(t.text())
          .contains("table 80")
          .contains("namespace isolation (multitenant)");
      wrong.add(row(pair[0], pair[1], Probe.icmp(), t.bothDelivered(), t));
    }
    wrong.removeIf(w -> w == null);
    assertThat(wrong).as("rows where podpath and real packets disagree").isEmpty();
  }

  /**
   * The Service is kube-proxy's iptables DNAT in the node netns, reached through tun0: the kernel
   * hop follows the way to each endpoint, and the packet goes back into br0 by tun0.
   */
  @Test
  void serviceThroughTun0AndTheKernelAgreesWithRealPackets() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Probe p : List.of(Probe.tcp(80), Probe.udp(53))) {
      Traced t = trace("blue/client-1", "svc/default/web", p);
      JsonNode eps = t.json().path("endpoints");
      assertThat(eps.size()).as(t.text()).isEqualTo(sb.nodes().size());
      boolean all = true;
      for (JsonNode e : eps) {
        Traced one = new Traced(t.exit(), t.json(), t.text());
        boolean delivered =
            e.path("forward").path("verdict").asText().equals("DELIVERED")
                && e.path("reply").path("verdict").asText().equals("DELIVERED");
        all &= delivered;
        JsonNode first = e.path("forward").path("nodes").path(0);
        assertThat(first.path("outcome").path("portName").asText()).as(t.text()).isEqualTo("tun0");
        assertThat(first.path("kernel").isMissingNode()).as(t.text()).isFalse();
        wrong.add(row("blue/client-1", e.path("pod").asText(), p, delivered, one));
      }
      ProbeResult vip = sb.probe("blue/client-1", "svc/default/web", p);
      Conntrack.flush(sb);
      if (all != vip.delivered()) {
        wrong.add("svc/default/web " + p.protocol() + " through the VIP: " + vip.reason());
      }
    }
    wrong.removeIf(w -> w == null);
    assertThat(wrong).as("rows where podpath and real packets disagree").isEmpty();
  }

  @Test
  void externalThroughTun0AgreesWithRealPackets() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Probe p : List.of(Probe.tcp(80), Probe.icmp())) {
      Traced t = trace("blue/client-1", "ip:" + sb.externalIp(), p);
      assertThat(t.first().path("forward").path("leftVia").asText())
          .as(t.text())
          .startsWith("node1 via port");
      ProbeResult real = sb.probe("blue/client-1", "ext", p);
      Conntrack.flush(sb);
      if (t.verdict("forward").equals("LEFT_CLUSTER") != real.delivered()) {
        wrong.add("client-1 -> ext " + p.protocol() + ": " + real.reason() + "\n" + t.text());
      }
    }
    assertThat(wrong).as("rows where podpath and real packets disagree").isEmpty();
  }
}
