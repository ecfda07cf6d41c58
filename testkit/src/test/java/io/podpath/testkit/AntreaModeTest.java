package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --mode antrea}: Antrea's node layout (br-int, antrea-gw0, antrea-tun0) and its ≤1.5 table
 * pipeline carry real packets, on a node and across nodes through the flow-based Geneve port.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 3, mode = Mode.ANTREA, apps = false)
class AntreaModeTest {

  @Test
  void nodesHaveAntreasPortsAndPodPortsCarryAntreasIdsOnThePortRow(Sandbox sb) {
    for (Node n : sb.nodes()) {
      assertThat(vsctl(sb, n, "list-br").lines()).containsExactlyInAnyOrder("br-int", "br-phy");
      assertThat(iface(sb, n, "antrea-tun0", "ofport")).isEqualTo("1");
      assertThat(iface(sb, n, "antrea-tun0", "type")).isEqualTo("geneve");
      assertThat(iface(sb, n, "antrea-tun0", "options")).contains("remote_ip=flow");
      assertThat(iface(sb, n, "antrea-gw0", "ofport")).isEqualTo("2");
      assertThat(iface(sb, n, "antrea-gw0", "type")).isEqualTo("internal");
      assertThat(vsctl(sb, n, "get", "port", "antrea-gw0", "external_ids:antrea-type"))
          .isEqualTo("gateway");
      assertThat(sb.exec(n.name(), "ip", "-4", "addr", "show", "dev", "antrea-gw0").stdout())
          .contains("10.244." + n.name().substring(4) + ".1/24");
      assertThat(sb.exec(n.name(), "iptables", "-t", "nat", "-S", "ANTREA-POSTROUTING").stdout())
          .contains("! -o antrea-gw0")
          .contains("-j MASQUERADE");
    }
    for (Pod p : sb.pods()) {
      Node n = sb.node(p.node());
      String ids = vsctl(sb, n, "get", "port", p.hostInterface(), "external_ids");
      assertThat(ids)
          .contains("antrea-type=container")
          .contains("pod-name=" + p.name())
          .contains("pod-namespace=" + p.namespace())
          .contains("ip-address=\"" + p.ip() + "\"")
          .contains("attached-mac=\"" + p.mac() + "\"")
          .containsPattern("container-id=\"?[0-9a-f]{64}");
      assertThat(vsctl(sb, n, "get", "interface", p.hostInterface(), "external_ids"))
          .isEqualTo("{}");
      assertThat(p.hostInterface()).hasSize(15).startsWith(p.name() + "-");
    }
  }

  @Test
  void everyPodReachesEveryPodOverTcpUdpAndIcmp(Sandbox sb) {
    SandboxTests.assertAllPairsReach(sb, List.of(Probe.tcp(80), Probe.udp(53), Probe.icmp()));
  }

  /** Cross-node: table 70 routes to the peer's subnet with the global virtual MAC and tun_dst. */
  @Test
  void crossNodePacketsLeaveByL3ForwardingToThePeersTunDst(Sandbox sb) {
    String part = "nw_dst=10.244.3.0/24";
    long before = flowPackets(sb, "node1", "table=70", part);
    assertThat(sb.probe("default/client-1", "default/web-3", Probe.tcp(80)).delivered()).isTrue();
    assertThat(flowPackets(sb, "node1", "table=70", part)).isGreaterThan(before);
    String flows = SdnModeTest.ofctl(sb, "node1", "dump-flows", "br-int", "table=70").stdout();
    assertThat(flows)
        .contains("set_field:aa:bb:cc:dd:ee:ff->eth_dst")
        .contains("load:" + hexIp(sb.nodeIp("node3")) + "->NXM_NX_TUN_IPV4_DST[]")
        .contains("load:0x1->NXM_NX_REG1[]");
    // on arrival the packet is routed to the pod by its (global virtual MAC, pod IP) flow
    String arrive = "dl_dst=aa:bb:cc:dd:ee:ff,nw_dst=" + sb.pod("default/web-3").ip();
    long in = flowPackets(sb, "node3", "table=70", arrive);
    assertThat(sb.probe("default/client-1", "default/web-3", Probe.udp(53)).delivered()).isTrue();
    assertThat(flowPackets(sb, "node3", "table=70", arrive)).isGreaterThan(in);
  }

  @Test
  void podsReachTheExternalHostAndTheServiceThroughAntreaGw0(Sandbox sb) {
    for (Pod src : sb.pods()) {
      ProbeResult r = sb.probe(src.ref(), "ext", Probe.tcp(80));
      assertThat(r.delivered()).as("%s -> ext: %s", src.ref(), r.reason()).isTrue();
    }
    long before = flowPackets(sb, "node1", "table=40", "nw_dst=10.96.0.0/16");
    SandboxTests.assertServiceReachesAllEndpoints(sb);
    assertThat(flowPackets(sb, "node1", "table=40", "nw_dst=10.96.0.0/16")).isGreaterThan(before);
  }

  /** The node loses the peer Node's routes: only that pair of nodes is cut. */
  @Test
  void tunnelFaultDropsThePeersRouteAndFixHeals(Sandbox sb) {
    try {
      sb.breakFault(Fault.TUNNEL, "node1");
      assertThat(SdnModeTest.ofctl(sb, "node1", "dump-flows", "br-int", "table=70").stdout())
          .doesNotContain(hexIp(sb.nodeIp("node2")))
          .contains(hexIp(sb.nodeIp("node3")));
      assertThat(sb.probe("default/web-1", "default/web-2", Probe.tcp(80)).delivered()).isFalse();
      assertThat(sb.probe("default/web-1", "default/web-3", Probe.tcp(80)).delivered()).isTrue();
    } finally {
      sb.fix(Fault.TUNNEL, "node1");
    }
    assertThat(sb.probe("default/web-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
  }

  @Test
  void portOffBridgeCutsThePodAndFixRewiresItsFlows(Sandbox sb) {
    Pod victim = sb.pod("default/client-2");
    try {
      sb.breakFault(Fault.PORT_OFF_BRIDGE, "node2");
      assertThat(sb.probe("default/web-1", victim.ref(), Probe.tcp(80)).delivered()).isFalse();
    } finally {
      sb.fix(Fault.PORT_OFF_BRIDGE, "node2");
    }
    assertThat(sb.probe("default/web-1", victim.ref(), Probe.tcp(80)).delivered()).isTrue();
  }

  static String hexIp(String ip) {
    StringBuilder b = new StringBuilder("0x");
    for (String octet : ip.split("\\.")) {
      b.append(String.format("%02x", Integer.parseInt(octet)));
    }
    return b.toString();
  }

  private static final Pattern N_PACKETS = Pattern.compile("n_packets=(\\d+)");

  /** n_packets of the one br-int flow in {@code table} whose dump line contains {@code part}. */
  static long flowPackets(Sandbox sb, String node, String table, String part) {
    String out = SdnModeTest.ofctl(sb, node, "dump-flows", "br-int", table).stdout();
    List<String> lines = new ArrayList<>(out.lines().filter(l -> l.contains(part)).toList());
    assertThat(lines).as("flows of %s with %s on %s: %s", table, part, node, out).hasSize(1);
    Matcher m = N_PACKETS.matcher(lines.get(0));
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static String vsctl(Sandbox sb, Node n, String... args) {
    return FaultTest.vsctl(sb, n.name(), args).stdout().strip();
  }

  private static String iface(Sandbox sb, Node n, String name, String col) {
    return vsctl(sb, n, "--data=bare", "get", "interface", name, col);
  }
}
