package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;

/**
 * The whole-path knobs (conntrack-full, nodeport, probe --sport/--via) checked with real packets,
 * break then fix, on the sandbox of the mode the subclass asks for.
 */
abstract class PathKnobs {

  /** ovs mode: its static flows never call ct(), so a full OVS conntrack table stops nothing. */
  static void conntrackFullStopsNothingWithoutCt(Sandbox sb) {
    try {
      sb.breakFault(Fault.CONNTRACK_FULL, "node2");
      assertThat(
              sb.exec("node2", "ovs-appctl", "-t", vswitchd(sb, "node2"), "dpctl/ct-get-maxconns")
                  .stdout()
                  .strip())
          .isEqualTo("0");
      assertThat(sb.probe("default/client-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
    } finally {
      sb.fix(Fault.CONNTRACK_FULL, "node2");
    }
    assertThat(
            sb.exec("node2", "ovs-appctl", "-t", vswitchd(sb, "node2"), "dpctl/ct-get-maxconns")
                .stdout()
                .strip())
        .isNotEqualTo("0");
  }

  private static String vswitchd(Sandbox sb, String node) {
    try {
      var run = sb.ovsRundir(node);
      String pid = Files.readString(run.resolve("ovs-vswitchd.pid")).strip();
      return run.resolve("ovs-vswitchd." + pid + ".ctl").toString();
    } catch (IOException e) {
      throw new IllegalStateException("no ovs-vswitchd pidfile on " + node, e);
    }
  }

  /** ovn mode: OVN's pipeline commits connections, so a full table refuses new TCP connections. */
  static void conntrackFullDropsNewConnectionsOnly(Sandbox sb) {
    // the same UDP 5-tuple before and during the fault: an entry the table already holds
    Probe existing = Probe.udp(53).fromPort(41001);
    assertThat(sb.probe("default/client-1", "default/web-2", existing).delivered()).isTrue();
    try {
      sb.breakFault(Fault.CONNTRACK_FULL, "node2");
      assertThat(sb.probe("default/client-1", "default/web-2", existing).delivered())
          .as("the existing flow still flows")
          .isTrue();
      ProbeResult fresh = sb.probe("default/client-1", "default/web-2", Probe.tcp(80));
      assertThat(fresh.delivered()).as("a new TCP connection: %s", fresh.reason()).isFalse();
      assertThat(sb.probe("default/client-1", "default/web-3", Probe.tcp(80)).delivered())
          .as("node3's table is not full")
          .isTrue();
    } finally {
      sb.fix(Fault.CONNTRACK_FULL, "node2");
    }
    assertThat(sb.probe("default/client-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
  }

  static void nodePortFromTheExternalHost(Sandbox sb) throws IOException {
    try {
      sb.nodePort(true);
      assertThat(Files.readString(sb.manifest()))
          .contains("type: NodePort")
          .contains("nodePort: " + Sandbox.NODEPORT_TCP);
      for (Node n : sb.nodes()) {
        assertThat(sb.probe("ext", n.name(), Probe.tcp(Sandbox.NODEPORT_TCP)).delivered())
            .as("ext -> %s:%d", n.name(), Sandbox.NODEPORT_TCP)
            .isTrue();
        assertThat(sb.probe("ext", n.name(), Probe.udp(Sandbox.NODEPORT_UDP)).delivered())
            .as("ext -> %s:%d/udp", n.name(), Sandbox.NODEPORT_UDP)
            .isTrue();
      }
    } finally {
      sb.nodePort(false);
    }
    assertThat(Files.readString(sb.manifest())).doesNotContain("nodePort:");
    assertThat(sb.probe("ext", "node1", Probe.tcp(Sandbox.NODEPORT_TCP)).delivered()).isFalse();
  }

  static void externalHostThroughThePodsNode(Sandbox sb) {
    assertThat(sb.probe("ext", "default/web-2", Probe.tcp(80).through("node2")).delivered())
        .isTrue();
    // without --via the external host has no route to pod addresses
    assertThat(sb.probe("ext", "default/web-2", Probe.icmp()).delivered()).isFalse();
    try {
      sb.breakFault(Fault.FW_DROP, "node2");
      assertThat(sb.probe("ext", "default/web-2", Probe.tcp(80).through("node2")).delivered())
          .isFalse();
    } finally {
      sb.fix(Fault.FW_DROP, "node2");
    }
  }

  static void replyFromTheExternalHostCutAlone(Sandbox sb) {
    String client = sb.pod("default/client-1").ip();
    try {
      // only packets TO the pod: the request leaves, the external host's reply dies on node1
      sb.breakFault(Fault.FW_DROP, "node1", client);
      assertThat(sb.probe("default/client-1", "ext", Probe.tcp(80)).delivered()).isFalse();
      assertThat(sb.probe("default/client-2", "ext", Probe.tcp(80)).delivered()).isTrue();
    } finally {
      sb.fix(Fault.FW_DROP, "node1", client);
    }
    assertThat(sb.probe("default/client-1", "ext", Probe.tcp(80)).delivered()).isTrue();
  }
}
