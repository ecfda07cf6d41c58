package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.testkit.Conntrack;
import io.podpath.testkit.Probe;
import io.podpath.testkit.ProbeResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real-packet rows every CNI mode shares (pod → pod same node and cross node, pod → Service at
 * every endpoint, pod → ext): podpath's verdicts, both directions, against {@code hack/sandbox
 * probe} on the same endpoints. A subclass says how its CNI tunnels and where it does Services.
 */
abstract class CniTraceRows extends CniTraceMatrix {
  /** The name of the tunnel port a packet to {@code to} leaves by, as the CNI names it. */
  abstract void assertTunnelPort(String portName, String to, String text);

  /** Where the first node hands a packet to the Service's VIP; null when OVS balances it itself. */
  abstract String serviceHandOffPort();

  /** The node's tunnel endpoint: its IPv6 underlay address over {@code --underlay ipv6}. */
  String tunnelIp(String node) {
    if (!sb.spec().ipv6Underlay()) {
      return sb.nodeIp(node);
    }
    return sb.node(node).ips().stream().filter(a -> a.contains(":")).findFirst().orElseThrow();
  }

  /** Two nodes, stitched through the CNI's tunnel to the next node's IP. */
  void stitched(JsonNode direction, String from, String to, String text) {
    JsonNode nodes = direction.path("nodes");
    assertThat(nodes.size()).as(text).isEqualTo(2);
    assertThat(nodes.get(0).path("node").asText()).as(text).isEqualTo(from);
    assertThat(nodes.get(1).path("node").asText()).as(text).isEqualTo(to);
    JsonNode tunnel = nodes.get(0).path("outcome").path("tunnel");
    assertThat(tunnel.path("remoteIp").asText()).as(text).isEqualTo(tunnelIp(to));
    assertThat(tunnel.path("type").asText()).as(text).isEqualTo("geneve");
    assertTunnelPort(tunnel.path("portName").asText(), to, text);
  }

  @Test
  void podToPodSameAndCrossNodeAgreeWithRealPackets() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Probe p : List.of(Probe.tcp(80), Probe.udp(53), Probe.icmp())) {
      Traced same = trace("default/client-1", "default/web-1", p);
      allOn(same.first().path("forward"), "node1", same.text());
      assertFamily(same);
      assertThat(same.verdict("forward")).as(same.text()).isEqualTo("DELIVERED");
      wrong.add(row("default/client-1", "default/web-1", p, same.bothDelivered(), same));

      Traced cross = trace("default/client-1", "default/web-2", p);
      stitched(cross.first().path("forward"), "node1", "node2", cross.text());
      assertFamily(cross);
      stitched(cross.first().path("reply"), "node2", "node1", cross.text());
      assertThat(cross.verdict("forward")).as(cross.text()).isEqualTo("DELIVERED");
      // the destination pod is named from its port's ids, so its own stack is read
      assertThat(cross.text()).contains("delivered to pod default/web-2").doesNotContain("unread");
      wrong.add(row("default/client-1", "default/web-2", p, cross.bothDelivered(), cross));
    }
    wrong.removeIf(w -> w == null);
    assertThat(wrong).as("rows where podpath and real packets disagree").isEmpty();
  }

  @Test
  void serviceEveryEndpointAgreesWithRealPackets() throws Exception {
    serviceRows();
  }

  /** Every endpoint of the Service, TCP and UDP, against real packets to it and to the VIP. */
  final void serviceRows() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Probe p : List.of(Probe.tcp(80), Probe.udp(53))) {
      Traced t = trace("default/client-1", "svc/default/web", p);
      assertFamily(t);
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
        if (serviceHandOffPort() != null) {
          assertThat(first.path("outcome").path("portName").asText())
              .as(t.text())
              .isEqualTo(serviceHandOffPort());
          assertThat(first.path("kernel").isMissingNode()).as(t.text()).isFalse();
        }
        wrong.add(row("default/client-1", e.path("pod").asText(), p, delivered, one));
      }
      ProbeResult vip = sb.probe("default/client-1", "svc/default/web", inFamily(p));
      Conntrack.flush(sb);
      if (all != vip.delivered()) {
        wrong.add("svc/default/web " + p.protocol() + " through the VIP: " + vip.reason());
      }
      assertThat(all).as(t.text()).isTrue();
    }
    wrong.removeIf(w -> w == null);
    assertThat(wrong).as("rows where podpath and real packets disagree").isEmpty();
  }

  @Test
  void externalAgreesWithRealPackets() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Probe p : List.of(Probe.tcp(80), Probe.icmp())) {
      Traced t = trace("default/client-1", "ip:" + externalIp(), p);
      assertFamily(t);
      assertThat(t.first().path("forward").path("leftVia").asText())
          .as(t.text())
          .startsWith("node1 via port");
      ProbeResult real = sb.probe("default/client-1", "ext", inFamily(p));
      Conntrack.flush(sb);
      if (t.verdict("forward").equals("LEFT_CLUSTER") != real.delivered()) {
        wrong.add("client-1 -> ext " + p.protocol() + ": " + real.reason() + "\n" + t.text());
      }
    }
    assertThat(wrong).as("rows where podpath and real packets disagree").isEmpty();
  }

  /**
   * hack/sandbox policy deny-ingress default/web-2: client-1 → web-2 is DROPPED on node2 as real
   * packets are, {@code named} checks how the drop is explained, and web-2 → client-1 still works
   * both ways; the policy is cleared even when an assertion fails.
   */
  void denyIngressWeb2(java.util.function.Consumer<Traced> named) throws Exception {
    sb.policyDenyIngress("default/web-2");
    try {
      Traced t = trace("default/client-1", "default/web-2", Probe.tcp(80));
      assertThat(t.verdict("forward")).as(t.text()).isEqualTo("DROPPED");
      assertThat(t.first().path("forward").path("droppedNode").asText())
          .as(t.text())
          .isEqualTo("node2");
      assertFamily(t);
      named.accept(t);
      assertThat(row("default/client-1", "default/web-2", Probe.tcp(80), false, t))
          .as("podpath and real packets disagree")
          .isNull();
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
