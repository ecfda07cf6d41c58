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
 * of both families are stitched through tunnels whose endpoints are the nodes' IPv6 addresses
 * ({@code tun_ipv6_src/dst} on the peer), and a missing tunnel is named, against real packets.
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

  private String ipv6Of(String node) {
    return sb.node(node).ips().stream().filter(a -> a.contains(":")).findFirst().orElseThrow();
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
      assertThat(t.text())
          .contains("no geneve tunnel from node1 to node2 (" + ipv6Of("node2") + ")");
    } finally {
      sb.fix(Fault.TUNNEL, "node1");
    }
    assertThat(sb.probe("default/client-1", "default/web-2", Probe.icmp().inFamily(6)).delivered())
        .isTrue();
  }

  /**
   * The tunnel's MTU budget over the IPv6 underlay: Geneve over IPv6 adds 78 bytes (IPv6 40, UDP 8,
   * Geneve 8, OVN's option 8, inner Ethernet 14), 20 more than over IPv4. With both nodes' pods at
   * MTU 1500 ({@code break mtu}), an IP packet of 1422 bytes fits the 1500 underlay and 1423 is
   * dropped at the tunnel (OVS neither fragments it nor answers: no Packet Too Big reaches the
   * pod), in both inner families, as DF pings of the same IP length show.
   */
  @Test
  void theTunnelBudgetOverIpv6CountsItsOuterHeader() throws Exception {
    sb.breakFault(Fault.MTU, "node1");
    sb.breakFault(Fault.MTU, "node2");
    try {
      for (int family : List.of(4, 6)) {
        int headers = family == 4 ? 28 : 48;
        for (int size : List.of(1422, 1423)) {
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
          boolean fits = size <= 1500 - 78;
          assertThat(real.delivered())
              .as(row + ": the real ping (%s)", real.reason())
              .isEqualTo(fits);
          assertThat(t.forward())
              .as(row + "\n" + t.text())
              .isEqualTo(fits ? "DELIVERED" : "DROPPED");
          if (!fits) {
            assertThat(t.text()).as(row).contains(size + " + 78 Geneve > 1500 on node1");
          }
        }
      }
    } finally {
      sb.fix(Fault.MTU, "node2");
      sb.fix(Fault.MTU, "node1");
    }
  }
}
