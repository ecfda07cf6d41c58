package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Fault;
import io.podpath.testkit.IpFamily;
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
 * Geneve over an IPv6 underlay ({@code hack/sandbox up --underlay ipv6}, dual-stack pods): traces
 * of both families stay on the node or are stitched through tunnels whose endpoints are the nodes'
 * IPv6 addresses ({@code tun_ipv6_src/dst} on the peer), a missing tunnel is named and the tunnel's
 * MTU budget counts the IPv6 outer header, against real packets. A subclass's {@code SandboxConfig}
 * runs the same rows on another mode.
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SandboxConfig(nodes = 2, ipFamily = IpFamily.DUAL, ipv6Underlay = true)
class Ipv6UnderlayTraceSandboxTest {
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

  private TraceMatrix.Traced trace(String src, String dst, Probe p, int family) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("--aggregator", aggregator.address(), "trace", src, dst));
    args.addAll(List.of(TraceMatrix.opts(p)));
    args.addAll(List.of("--family", Integer.toString(family)));
    String[] base = args.toArray(String[]::new);
    MatrixCli.Run json = MatrixCli.cli(MatrixCli.concat(base, "-o", "json"));
    MatrixCli.Run text = MatrixCli.cli(base);
    return new TraceMatrix.Traced(
        json.exit(), MatrixCli.JSON.readTree(json.out()), text.out() + text.err());
  }

  /**
   * What Geneve over IPv6 adds to an IP packet: IPv6 40, UDP 8, Geneve 8, inner Ethernet 14, and
   * OVN's 8-byte option; 20 more than over IPv4.
   */
  int tunnelOverhead() {
    return 78;
  }

  /** How the drop names node1's missing tunnel to node2's IPv6 address. */
  String missingTunnel(String node2Ipv6) {
    return "no geneve tunnel from node1 to node2 (" + node2Ipv6 + ")";
  }

  String aggregatorAddress() {
    return aggregator.address();
  }

  private String ipv6Of(String node) {
    return sb.node(node).ips().stream().filter(a -> a.contains(":")).findFirst().orElseThrow();
  }

  @Test
  void bothFamiliesStayOnTheNodeToALocalPod() throws Exception {
    for (int family : List.of(4, 6)) {
      for (Probe p : List.of(Probe.tcp(80), Probe.udp(53), Probe.icmp())) {
        TraceMatrix.Traced t = trace("default/client-1", "default/web-1", p, family);
        ProbeResult real = sb.probe("default/client-1", "default/web-1", p.inFamily(family));
        String row = "IPv" + family + " " + p.protocol() + " same node";
        boolean podpath = t.forward().equals("DELIVERED") && t.reply().equals("DELIVERED");
        assertThat(podpath).as(row + "\n" + t.text()).isEqualTo(real.delivered());
        assertThat(real.delivered()).as(row + ": " + real.reason()).isTrue();
        for (String dir : List.of("forward", "reply")) {
          JsonNode nodes = t.first().path(dir).path("nodes");
          assertThat(nodes.size()).as(t.text()).isEqualTo(1);
          assertThat(nodes.get(0).path("node").asText()).as(t.text()).isEqualTo("node1");
        }
      }
    }
  }

  @Test
  void bothFamiliesAreStitchedThroughIpv6Tunnels() throws Exception {
    for (int family : List.of(4, 6)) {
      for (Probe p : List.of(Probe.tcp(80), Probe.udp(53), Probe.icmp())) {
        TraceMatrix.Traced t = trace("default/client-1", "default/web-2", p, family);
        ProbeResult real = sb.probe("default/client-1", "default/web-2", p.inFamily(family));
        assertThat(real.delivered())
            .as("IPv%d %s: %s", family, p.protocol(), real.reason())
            .isTrue();
        assertThat(t.forward() + "/" + t.reply()).as(t.text()).isEqualTo("DELIVERED/DELIVERED");
        for (String[] dir : new String[][] {{"forward", "node2"}, {"reply", "node1"}}) {
          JsonNode nodes = t.first().path(dir[0]).path("nodes");
          JsonNode tunnel = nodes.get(nodes.size() - 2).path("outcome").path("tunnel");
          assertThat(tunnel.path("remoteIp").asText()).as(t.text()).isEqualTo(ipv6Of(dir[1]));
          assertThat(nodes.get(nodes.size() - 1).path("node").asText()).isEqualTo(dir[1]);
        }
      }
    }
  }

  @Test
  void aMissingIpv6TunnelIsNamed() throws Exception {
    sb.breakFault(Fault.TUNNEL, "node1");
    try {
      TraceMatrix.Traced t = trace("default/client-1", "default/web-2", Probe.icmp(), 6);
      assertThat(
              sb.probe("default/client-1", "default/web-2", Probe.icmp().inFamily(6)).delivered())
          .isFalse();
      assertThat(t.forward()).as(t.text()).isEqualTo("DROPPED");
      assertThat(t.text()).contains(missingTunnel(ipv6Of("node2")));
    } finally {
      sb.fix(Fault.TUNNEL, "node1");
    }
    assertThat(sb.probe("default/client-1", "default/web-2", Probe.icmp().inFamily(6)).delivered())
        .isTrue();
  }

  /**
   * The tunnel's MTU budget over the IPv6 underlay ({@link #tunnelOverhead}). With both nodes' pods
   * at MTU 1500 ({@code break mtu}), an IP packet of 1500 - overhead bytes (1422 in ovn) fits the
   * 1500 underlay and one byte more is dropped at the tunnel (OVS neither fragments it nor answers:
   * no Packet Too Big reaches the pod), in both inner families, as DF pings of the same IP length
   * show.
   */
  @Test
  void theTunnelBudgetOverIpv6CountsItsOuterHeader() throws Exception {
    sb.breakFault(Fault.MTU, "node1");
    sb.breakFault(Fault.MTU, "node2");
    try {
      for (int family : List.of(4, 6)) {
        int headers = family == 4 ? 28 : 48;
        int budget = 1500 - tunnelOverhead();
        for (int size : List.of(budget, budget + 1)) {
          List<String> args =
              new ArrayList<>(
                  List.of(
                      "--aggregator",
                      aggregator.address(),
                      "trace",
                      "default/client-1",
                      "default/web-2",
                      "--icmp",
                      "--size",
                      Integer.toString(size),
                      "--family",
                      Integer.toString(family)));
          String[] base = args.toArray(String[]::new);
          MatrixCli.Run json = MatrixCli.cli(MatrixCli.concat(base, "-o", "json"));
          MatrixCli.Run text = MatrixCli.cli(base);
          TraceMatrix.Traced t =
              new TraceMatrix.Traced(
                  json.exit(), MatrixCli.JSON.readTree(json.out()), text.out() + text.err());
          ProbeResult real =
              sb.probe(
                  "default/client-1",
                  "default/web-2",
                  Probe.icmp().withDfSize(size - headers).inFamily(family));
          String row = "IPv" + family + " DF " + size + " bytes over the IPv6 underlay";
          boolean fits = size <= budget;
          assertThat(real.delivered())
              .as(row + ": the real ping (%s)", real.reason())
              .isEqualTo(fits);
          assertThat(t.forward())
              .as(row + "\n" + t.text())
              .isEqualTo(fits ? "DELIVERED" : "DROPPED");
          if (!fits) {
            assertThat(t.text())
                .as(row)
                .contains(size + " + " + tunnelOverhead() + " Geneve > 1500 on node1");
          }
        }
      }
    } finally {
      sb.fix(Fault.MTU, "node2");
      sb.fix(Fault.MTU, "node1");
    }
  }
}
