package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each fault produces its real symptom, proven by real packets, and fix heals it. */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false)
class FaultTest {

  @Test
  void mtuFaultBlackholesBigPacketsBetweenNodes(Sandbox sb) {
    Probe big = Probe.icmp().withDfSize(1415);
    Probe fits = Probe.icmp().withDfSize(1414);
    assertThat(
            sb.probe("default/client-1", "default/web-2", Probe.icmp().withDfSize(1372))
                .delivered())
        .isTrue();
    try {
      sb.breakFault(Fault.MTU, "node1");
      sb.breakFault(Fault.MTU, "node2");
      // pod MTU 1500 over a 1500 underlay: 1414 + 28 + 58 (OVN Geneve) = 1500 fits, 1415 vanishes
      assertThat(sb.probe("default/client-1", "default/web-2", fits).delivered()).isTrue();
      ProbeResult r = sb.probe("default/client-1", "default/web-2", big);
      assertThat(r.delivered()).isFalse();
      assertThat(r.reason()).contains("no reply");
    } finally {
      sb.fix(Fault.MTU, "node1");
      sb.fix(Fault.MTU, "node2");
    }
    assertThat(
            sb.probe("default/client-1", "default/web-2", Probe.icmp().withDfSize(1372))
                .delivered())
        .isTrue();
    assertThat(sb.probe("default/client-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
  }

  @Test
  void ipForwardOffStopsPodEgressThroughThatNodeOnly(Sandbox sb) {
    try {
      sb.breakFault(Fault.IP_FORWARD, "node1");
      assertThat(sb.exec("node1", "cat", "/proc/sys/net/ipv4/ip_forward").stdout().strip())
          .isEqualTo("0");
      assertThat(sb.probe("default/client-1", "ext", Probe.tcp(80)).delivered()).isFalse();
      assertThat(sb.probe("default/client-2", "ext", Probe.tcp(80)).delivered()).isTrue();
    } finally {
      sb.fix(Fault.IP_FORWARD, "node1");
    }
    assertThat(sb.probe("default/client-1", "ext", Probe.tcp(80)).delivered()).isTrue();
  }

  @Test
  void tunnelFaultCutsOnlyThatPairOfNodes(Sandbox sb) {
    String peerIp = sb.nodeIp("node2");
    try {
      sb.breakFault(Fault.TUNNEL, "node1");
      assertThat(geneveTo(sb, "node1", peerIp)).isEmpty();
      assertThat(sb.probe("default/client-1", "default/web-2", Probe.tcp(80)).delivered())
          .isFalse();
      assertThat(sb.probe("default/client-1", "default/web-3", Probe.tcp(80)).delivered()).isTrue();
      assertThat(sb.probe("default/client-2", "default/web-3", Probe.tcp(80)).delivered()).isTrue();
    } finally {
      sb.fix(Fault.TUNNEL, "node1");
    }
    assertThat(geneveTo(sb, "node1", peerIp)).isNotEmpty();
    assertThat(sb.probe("default/client-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
  }

  @Test
  void interfaceFaultPutsTheOvsInterfaceInErrorAndCutsThePod(Sandbox sb) {
    Pod victim = sb.pod("default/client-3");
    try {
      sb.breakFault(Fault.INTERFACE, "node3");
      ExecResult err = vsctl(sb, "node3", "get", "interface", victim.hostInterface(), "error");
      assertThat(err.stdout()).contains("No such device");
      assertThat(sb.probe("default/client-1", "default/client-3", Probe.tcp(80)).delivered())
          .isFalse();
      assertThat(sb.probe("default/client-1", "default/web-3", Probe.tcp(80)).delivered()).isTrue();
    } finally {
      sb.fix(Fault.INTERFACE, "node3");
    }
    assertThat(
            vsctl(sb, "node3", "get", "interface", victim.hostInterface(), "error")
                .stdout()
                .strip())
        .isEqualTo("[]");
    assertThat(sb.probe("default/client-1", "default/client-3", Probe.tcp(80)).delivered())
        .isTrue();
    assertThat(sb.probe("default/client-3", "default/web-1", Probe.udp(53)).delivered()).isTrue();
  }

  static String geneveTo(Sandbox sb, String node, String remoteIp) {
    return vsctl(
            sb,
            node,
            "--data=bare",
            "--no-headings",
            "--columns=name",
            "find",
            "interface",
            "type=geneve",
            "options:remote_ip=\"" + remoteIp + "\"")
        .stdout()
        .strip();
  }

  static ExecResult vsctl(Sandbox sb, String node, String... args) {
    String[] argv = new String[args.length + 2];
    argv[0] = "ovs-vsctl";
    argv[1] = "--db=unix:" + sb.ovsRundir(node).resolve("db.sock");
    System.arraycopy(args, 0, argv, 2, args.length);
    return sb.exec(node, argv);
  }
}
