package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --mode kube-ovn}: real OVN with Kube-OVN's names (ovn-cluster, one switch ovn-default for
 * the cluster, join with node-NODE/ovn0, LSPs and iface-ids {@code <pod>.<ns>}) carries real
 * packets between pods on a node and across nodes, to ext through the node, and to the Service.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 3, mode = Mode.KUBE_OVN, apps = false)
class KubeOvnModeTest {

  @Test
  void logicalTopologyAndPortsCarryKubeOvnsNames(Sandbox sb) {
    assertThat(nbctl(sb, "lr-list")).contains("ovn-cluster").doesNotContain("ovn_cluster_router");
    assertThat(nbctl(sb, "ls-list")).contains("(ovn-default)").contains("(join)");
    String podPorts = nbctl(sb, "lsp-list", "ovn-default");
    String joinPorts = nbctl(sb, "lsp-list", "join");
    for (Node n : sb.nodes()) {
      assertThat(joinPorts).contains("(node-" + n.name() + ")");
      assertThat(vsctl(sb, n, "get", "interface", "ovn0", "external_ids:iface-id"))
          .isEqualTo("node-" + n.name());
      assertThat(sb.exec(n.name(), "ip", "-4", "route", "show", "10.244.0.0/16").stdout())
          .contains("via 100.64.0.1 dev ovn0");
    }
    for (Pod p : sb.pods()) {
      String lsp = p.name() + "." + p.namespace();
      assertThat(podPorts).contains("(" + lsp + ")");
      String ids =
          vsctl(sb, sb.node(p.node()), "get", "interface", p.hostInterface(), "external_ids");
      assertThat(ids)
          .contains("iface-id=" + lsp + ",")
          .contains("vendor=kube-ovn")
          .contains("pod_name=" + p.name())
          .contains("pod_namespace=" + p.namespace())
          .contains("ip=\"" + p.ip() + "\"")
          .contains("pod_netns=\"/var/run/netns/" + p.netns() + "\"")
          .doesNotContain("sandbox=");
      assertThat(p.hostInterface()).matches("[0-9a-f]{12}_h");
      // one switch for the cluster: the pod's subnet is the cluster's /16
      assertThat(sb.exec(p.ref(), "ip", "-4", "addr", "show", "dev", "eth0").stdout())
          .contains(p.ip() + "/16");
    }
  }

  @Test
  void everyPodReachesEveryPodOverTcpUdpAndIcmp(Sandbox sb) {
    SandboxTests.assertAllPairsReach(sb, List.of(Probe.tcp(80), Probe.udp(53), Probe.icmp()));
  }

  @Test
  void podsReachTheExternalHostThroughTheirNodesOvn0AndTheService(Sandbox sb) {
    for (Pod src : sb.pods()) {
      ProbeResult r = sb.probe(src.ref(), "ext", Probe.tcp(80));
      assertThat(r.delivered()).as("%s -> ext: %s", src.ref(), r.reason()).isTrue();
    }
    SandboxTests.assertServiceReachesAllEndpoints(sb);
  }

  /** ovn-controller itself removes the Geneve port between the two nodes: only that pair is cut. */
  @Test
  void tunnelFaultCutsOnePairAndFixHeals(Sandbox sb) {
    try {
      sb.breakFault(Fault.TUNNEL, "node1");
      assertThat(sb.probe("default/web-1", "default/web-2", Probe.tcp(80)).delivered()).isFalse();
      assertThat(sb.probe("default/web-1", "default/web-3", Probe.tcp(80)).delivered()).isTrue();
    } finally {
      sb.fix(Fault.TUNNEL, "node1");
    }
    assertThat(sb.probe("default/web-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
  }

  private static String nbctl(Sandbox sb, String... args) {
    String[] argv = new String[args.length + 2];
    argv[0] = "ovn-nbctl";
    argv[1] = "--db=unix:" + sb.ovnNbSocket().orElseThrow();
    System.arraycopy(args, 0, argv, 2, args.length);
    ExecResult r = sb.exec("central", argv);
    assertThat(r.ok()).as("ovn-nbctl %s: %s", String.join(" ", args), r.stderr()).isTrue();
    return r.stdout();
  }

  private static String vsctl(Sandbox sb, Node n, String... args) {
    return FaultTest.vsctl(sb, n.name(), args).stdout().strip();
  }
}
