package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --mode aci}: the ACI CNI's two bridges carry real packets through the leaf. Pods {@code
 * pod-i-3} are in the kube-isolated EPG, which has no contract with kube-default.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, mode = Mode.ACI, podsPerNode = 3, apps = false)
class AciModeTest {

  @Test
  void podsSitOnBrAccessAndReachBrIntThroughPatchPortsWithoutExternalIds(Sandbox sb) {
    for (Node n : sb.nodes()) {
      assertThat(vsctl(sb, n, "get", "interface", "vxlan0", "options"))
          .contains("remote_ip=flow")
          .contains("dst_port=\"8472\"");
      assertThat(vsctl(sb, n, "port-to-br", "vxlan0")).isEqualTo("br-int");
    }
    for (Pod p : sb.pods()) {
      Node n = sb.node(p.node());
      String veth = p.hostInterface();
      assertThat(vsctl(sb, n, "port-to-br", veth)).isEqualTo("br-access");
      assertThat(vsctl(sb, n, "port-to-br", "pa-" + veth)).isEqualTo("br-access");
      assertThat(vsctl(sb, n, "port-to-br", "pi-" + veth)).isEqualTo("br-int");
      assertThat(vsctl(sb, n, "get", "interface", "pa-" + veth, "options"))
          .contains("peer=pi-" + veth);
      assertThat(vsctl(sb, n, "get", "interface", veth, "external_ids")).isEqualTo("{}");
    }
  }

  /** EPG contracts: allowed within an EPG, dropped between kube-default and kube-isolated. */
  @Test
  void podsReachTheirEpgAndNoOther(Sandbox sb) {
    List<SandboxTests.Case> cases = new ArrayList<>();
    for (Pod src : sb.pods()) {
      for (Pod dst : sb.pods()) {
        if (!src.equals(dst)) {
          boolean allowed = isolated(src) == isolated(dst);
          cases.add(new SandboxTests.Case(src.ref(), dst.ref(), Probe.tcp(80), allowed));
        }
      }
    }
    assertThat(cases.stream().filter(c -> !c.expectDelivered())).isNotEmpty();
    SandboxTests.assertOutcomes(sb, cases);
    SandboxTests.assertOutcomes(
        sb,
        List.of(
            new SandboxTests.Case("default/client-1", "default/web-2", Probe.icmp(), true),
            new SandboxTests.Case("default/client-1", "default/pod-1-3", Probe.icmp(), false),
            new SandboxTests.Case("default/pod-1-3", "default/pod-2-3", Probe.udp(53), true)));
  }

  /** Cross-node packets leave by vxlan0 towards the leaf and are dropped by contract in POL. */
  @Test
  void crossNodePacketsGoThroughTheLeafAndPolicyDropsOnArrival(Sandbox sb) {
    String leaf = "tun_dst";
    long before = packets(sb, "node1", "br-int", "table=7", leaf);
    assertThat(sb.probe("default/client-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
    assertThat(packets(sb, "node1", "br-int", "table=7", leaf)).isGreaterThan(before);
    long drops = packets(sb, "node2", "br-int", "table=12", "priority=0 ");
    assertThat(sb.probe("default/client-1", "default/pod-2-3", Probe.tcp(80)).delivered())
        .isFalse();
    assertThat(packets(sb, "node2", "br-int", "table=12", "priority=0 ")).isGreaterThan(drops);
  }

  @Test
  void podsReachTheExternalHostThroughTheL3Out(Sandbox sb) {
    for (Pod src : sb.pods()) {
      ProbeResult r = sb.probe(src.ref(), "ext", Probe.tcp(80));
      assertThat(r.delivered()).as("%s -> ext: %s", src.ref(), r.reason()).isTrue();
    }
  }

  @Test
  void tunnelFaultMakesTheLeafForgetTheNodesEndpoints(Sandbox sb) {
    try {
      sb.breakFault(Fault.TUNNEL, "node2");
      assertThat(sb.probe("default/client-1", "default/web-2", Probe.tcp(80)).delivered())
          .isFalse();
      assertThat(sb.probe("default/client-1", "default/web-1", Probe.tcp(80)).delivered()).isTrue();
    } finally {
      sb.fix(Fault.TUNNEL, "node2");
    }
    assertThat(sb.probe("default/client-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
  }

  private static boolean isolated(Pod p) {
    return p.name().startsWith("pod-");
  }

  private static final Pattern N_PACKETS = Pattern.compile("n_packets=(\\d+)");

  private static long packets(Sandbox sb, String node, String bridge, String table, String part) {
    ExecResult r =
        sb.exec(
            node,
            "ovs-ofctl",
            "-O",
            "OpenFlow13",
            "dump-flows",
            "unix:" + sb.ovsRundir(node).resolve(bridge + ".mgmt"),
            table);
    assertThat(r.ok()).as("dump-flows: %s", r.stderr()).isTrue();
    List<String> lines = r.stdout().lines().filter(l -> l.contains(part)).toList();
    assertThat(lines).as("%s %s with %s: %s", node, table, part, r.stdout()).hasSize(1);
    Matcher m = N_PACKETS.matcher(lines.get(0));
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static String vsctl(Sandbox sb, Node n, String... args) {
    List<String> argv = new ArrayList<>(List.of("--data=bare"));
    argv.addAll(List.of(args));
    ExecResult r = FaultTest.vsctl(sb, n.name(), argv.toArray(String[]::new));
    assertThat(r.ok()).as("ovs-vsctl %s: %s", argv, r.stderr()).isTrue();
    return r.stdout().strip();
  }
}
