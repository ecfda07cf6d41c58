package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The node-kernel faults (hack/lib/sb-kernel-faults.sh): real symptoms, healed by fix. */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false)
class KernelFaultTest {

  @Test
  void forwardDropSilencesEgressThroughThatNodeOnly(Sandbox sb) {
    try {
      sb.breakFault(Fault.FW_DROP, "node1");
      ProbeResult r = sb.probe("default/client-1", "ext", Probe.tcp(80));
      assertThat(r.delivered()).isFalse();
      assertThat(r.reason()).contains("timed out");
      assertThat(sb.probe("default/client-2", "ext", Probe.tcp(80)).delivered()).isTrue();
    } finally {
      sb.fix(Fault.FW_DROP, "node1");
    }
    assertThat(sb.probe("default/client-1", "ext", Probe.tcp(80)).delivered()).isTrue();
  }

  @Test
  void forwardRejectRefusesEgress(Sandbox sb) {
    try {
      sb.breakFault(Fault.FW_REJECT, "node1");
      ProbeResult r = sb.probe("default/client-1", "ext", Probe.tcp(80));
      assertThat(r.delivered()).isFalse();
      assertThat(r.reason()).contains("refused");
    } finally {
      sb.fix(Fault.FW_REJECT, "node1");
    }
    assertThat(sb.exec("node1", "iptables", "-S", "FORWARD").stdout())
        .doesNotContain("podpath-fault");
    assertThat(sb.probe("default/client-1", "ext", Probe.tcp(80)).delivered()).isTrue();
  }

  @Test
  void missingRouteStopsEgress(Sandbox sb) {
    try {
      sb.breakFault(Fault.ROUTE, "node1");
      assertThat(sb.exec("node1", "ip", "route", "get", sb.externalIp()).exitCode()).isNotZero();
      assertThat(sb.probe("default/client-1", "ext", Probe.icmp()).delivered()).isFalse();
    } finally {
      sb.fix(Fault.ROUTE, "node1");
    }
    assertThat(sb.probe("default/client-1", "ext", Probe.icmp()).delivered()).isTrue();
  }

  @Test
  void podEth0DownCutsThatPodOffAndFixRestoresIt(Sandbox sb) {
    try {
      sb.breakFault(Fault.ETH0_DOWN, "node2");
      assertThat(sb.probe("default/client-1", "default/web-2", Probe.tcp(80)).delivered())
          .isFalse();
      assertThat(sb.probe("default/client-1", "default/web-1", Probe.tcp(80)).delivered()).isTrue();
    } finally {
      sb.fix(Fault.ETH0_DOWN, "node2");
    }
    assertThat(sb.probe("default/client-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
  }

  @Test
  void probeFromANodeAndFromTheExternalHost(Sandbox sb) {
    assertThat(sb.probe("node1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
    assertThat(sb.probe("ext", sb.nodeIp("node1"), Probe.icmp()).delivered()).isTrue();
  }
}
