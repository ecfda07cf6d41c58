package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --mode sdn}: OpenShift SDN's node layout and multitenant pipeline carry real packets.
 * Three pods per node put a pod of each tenant ({@code blue}, {@code red}) and one of the global
 * {@code default} project on every node.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(mode = Mode.SDN, podsPerNode = 3, apps = false)
class SdnModeTest {

  @Test
  void nodesHaveBr0WithFlowBasedVxlan0OnPort1AndTun0OnPort2(Sandbox sb) {
    for (Node n : sb.nodes()) {
      assertThat(vsctl(sb, n, "list-br").stdout().lines()).contains("br0").doesNotContain("br-int");
      assertThat(column(sb, n, "vxlan0", "ofport")).isEqualTo("1");
      assertThat(column(sb, n, "vxlan0", "type")).isEqualTo("vxlan");
      assertThat(column(sb, n, "vxlan0", "options"))
          .contains("remote_ip=flow")
          .contains("key=flow")
          .contains("dst_port=\"4789\"");
      assertThat(column(sb, n, "tun0", "ofport")).isEqualTo("2");
      assertThat(column(sb, n, "tun0", "type")).isEqualTo("internal");
      assertThat(sb.exec(n.name(), "ip", "-4", "route", "show", "10.244.0.0/16").stdout())
          .contains("dev tun0");
      assertThat(sb.exec(n.name(), "iptables", "-t", "nat", "-S", "OPENSHIFT-MASQUERADE").stdout())
          .contains("-s 10.244.0.0/16")
          .contains("-j MASQUERADE");
    }
    for (Pod p : sb.pods()) {
      String ids = column(sb, sb.node(p.node()), p.hostInterface(), "external_ids");
      assertThat(ids)
          .contains("ip=\"" + p.ip() + "\"")
          .contains("sandbox=")
          .doesNotContain("iface-id");
      assertThat(p.hostInterface()).matches("veth[0-9a-f]{8}");
    }
  }

  /** Multitenant isolation: allowed when both pods share a namespace or one is in default. */
  @Test
  void podsReachTheirTenantAndTheGlobalProjectAndNoOtherTenant(Sandbox sb) {
    List<SandboxTests.Case> cases = new ArrayList<>();
    for (Pod src : sb.pods()) {
      for (Pod dst : sb.pods()) {
        if (!src.equals(dst)) {
          boolean allowed =
              src.namespace().equals(dst.namespace())
                  || src.namespace().equals("default")
                  || dst.namespace().equals("default");
          cases.add(new SandboxTests.Case(src.ref(), dst.ref(), Probe.tcp(80), allowed));
        }
      }
    }
    assertThat(cases.stream().filter(c -> !c.expectDelivered())).isNotEmpty();
    assertThat(cases.stream().filter(c -> c.expectDelivered() && !sameNode(sb, c))).isNotEmpty();
    SandboxTests.assertOutcomes(sb, cases);
    SandboxTests.assertOutcomes(
        sb,
        List.of(
            new SandboxTests.Case("blue/client-1", "red/pod-1-3", Probe.icmp(), false),
            new SandboxTests.Case("blue/client-1", "default/web-1", Probe.icmp(), true),
            new SandboxTests.Case("blue/client-1", "blue/client-3", Probe.udp(53), true),
            new SandboxTests.Case("blue/client-1", "red/client-2", Probe.udp(53), false)));
  }

  /** The cross-node packet rides vxlan0 with the sender's VNID and is isolated on arrival. */
  @Test
  void crossNodePacketsCarryTheVnidInTunIdAndArePickedByTunDst(Sandbox sb) {
    String blueToNode3 = flowPackets(sb, "node1", "table=90", "nw_dst=10.244.3.0/24");
    assertThat(sb.probe("blue/client-1", "blue/client-3", Probe.tcp(80)).delivered()).isTrue();
    assertThat(Long.parseLong(flowPackets(sb, "node1", "table=90", "nw_dst=10.244.3.0/24")))
        .isGreaterThan(Long.parseLong(blueToNode3));
    String flows = ofctl(sb, "node1", "dump-flows", "br0", "table=90").stdout();
    assertThat(flows)
        .contains("move:NXM_NX_REG0[]->NXM_NX_TUN_ID[0..31]")
        .contains("set_field:" + sb.nodeIp("node3") + "->tun_dst")
        .contains("output:1");
    // the isolation drop happens on the destination node, in table 80
    String before = flowPackets(sb, "node2", "table=80", "priority=0 actions=drop");
    assertThat(sb.probe("blue/client-1", "red/client-2", Probe.tcp(80)).delivered()).isFalse();
    assertThat(Long.parseLong(flowPackets(sb, "node2", "table=80", "priority=0 actions=drop")))
        .isGreaterThan(Long.parseLong(before));
  }

  @Test
  void podsReachTheExternalHostThroughTun0AndMasquerade(Sandbox sb) {
    for (Pod src : sb.pods()) {
      ProbeResult r = sb.probe(src.ref(), "ext", Probe.tcp(80));
      assertThat(r.delivered()).as("%s -> ext: %s", src.ref(), r.reason()).isTrue();
    }
  }

  @Test
  void serviceInTheGlobalProjectReachesEveryEndpointFromEveryTenant(Sandbox sb) {
    SandboxTests.assertServiceReachesAllEndpoints(sb);
  }

  @Test
  void manifestCarriesHostSubnetsAndNetNamespaces(Sandbox sb) throws Exception {
    String yaml = Files.readString(sb.manifest());
    assertThat(yaml).contains("kind: HostSubnet").contains("kind: NetNamespace");
    assertThat(yaml).contains("netname: blue").contains("netname: red");
  }

  /** The node loses the peer's HostSubnet flows: only that pair of nodes is cut. */
  @Test
  void tunnelFaultDropsThePeersSubnetAndFixHeals(Sandbox sb) {
    try {
      sb.breakFault(Fault.TUNNEL, "node1");
      assertThat(ofctl(sb, "node1", "dump-flows", "br0", "table=90").stdout())
          .doesNotContain(sb.nodeIp("node2"))
          .contains(sb.nodeIp("node3"));
      assertThat(sb.probe("default/web-1", "default/web-2", Probe.tcp(80)).delivered()).isFalse();
      assertThat(sb.probe("default/web-1", "default/web-3", Probe.tcp(80)).delivered()).isTrue();
    } finally {
      sb.fix(Fault.TUNNEL, "node1");
    }
    assertThat(sb.probe("default/web-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
  }

  @Test
  void interfaceFaultCutsThePodAndFixRewiresItsFlows(Sandbox sb) {
    Pod victim = sb.pod("blue/pod-2-3");
    try {
      sb.breakFault(Fault.INTERFACE, "node2");
      assertThat(column(sb, sb.node("node2"), victim.hostInterface(), "error"))
          .contains("No such device");
      assertThat(sb.probe("default/web-1", victim.ref(), Probe.tcp(80)).delivered()).isFalse();
    } finally {
      sb.fix(Fault.INTERFACE, "node2");
    }
    assertThat(sb.probe("default/web-1", victim.ref(), Probe.tcp(80)).delivered()).isTrue();
  }

  private static boolean sameNode(Sandbox sb, SandboxTests.Case c) {
    return sb.pod(c.src()).node().equals(sb.pod(c.dst()).node());
  }

  private static final Pattern N_PACKETS = Pattern.compile("n_packets=(\\d+)");

  /** n_packets of the one br0 flow in {@code table} whose dump line contains {@code part}. */
  static String flowPackets(Sandbox sb, String node, String table, String part) {
    String out = ofctl(sb, node, "dump-flows", "br0", table).stdout();
    List<String> lines = out.lines().filter(l -> l.contains(part)).toList();
    assertThat(lines).as("flows of %s with %s on %s: %s", table, part, node, out).hasSize(1);
    Matcher m = N_PACKETS.matcher(lines.get(0));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  static ExecResult ofctl(Sandbox sb, String node, String... args) {
    List<String> argv = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13"));
    for (int i = 0; i < args.length; i++) {
      // the bridge argument becomes the node's management socket
      boolean bridge = args[i].equals("br0") || args[i].equals("br-int");
      argv.add(bridge ? "unix:" + sb.ovsRundir(node).resolve(args[i] + ".mgmt") : args[i]);
    }
    ExecResult r = sb.exec(node, argv.toArray(String[]::new));
    assertThat(r.ok()).as("ovs-ofctl %s: %s", String.join(" ", args), r.stderr()).isTrue();
    return r;
  }

  private static ExecResult vsctl(Sandbox sb, Node n, String... args) {
    return FaultTest.vsctl(sb, n.name(), args);
  }

  private static String column(Sandbox sb, Node n, String iface, String col) {
    return FaultTest.vsctl(sb, n.name(), "--data=bare", "get", "interface", iface, col)
        .stdout()
        .strip();
  }
}
