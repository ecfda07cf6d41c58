package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.pod.PodKey;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * The probe's command line is built from typed values only; the real packets are in the sandbox.
 */
class ProbeRunnerTest {
  static final PodKey POD = new PodKey("default", "client-1");

  @Test
  void dfPingArgvFromTypedValues() throws Exception {
    ProbeRunner.Probe p =
        new ProbeRunner.Probe(
            POD, InetAddress.getByName("10.244.2.3"), "icmp", 0, 1372, true, 1500);
    assertThat(ProbeRunner.pingArgv(p))
        .containsExactly(
            "ping", "-n", "-c", "1", "-W", "2", "-M", "do", "-s", "1372", "10.244.2.3");
    ProbeRunner.Probe v6 =
        new ProbeRunner.Probe(POD, InetAddress.getByName("fd00::3"), "icmp", 0, 0, false, 800);
    assertThat(ProbeRunner.pingArgv(v6))
        .containsExactly("ping", "-n", "-c", "1", "-W", "1", "-6", "fd00::3");
  }

  @Test
  void outOfRangeValuesAreRejectedBeforeAnyCommand() throws Exception {
    InetAddress ip = InetAddress.getByName("10.244.2.3");
    assertThatThrownBy(() -> new ProbeRunner.Probe(POD, ip, "icmp", 0, 70000, true, 1000))
        .hasMessageContaining("size");
    assertThatThrownBy(() -> new ProbeRunner.Probe(POD, ip, "tcp", 0, 0, false, 1000))
        .hasMessageContaining("dst_port");
    assertThatThrownBy(() -> new ProbeRunner.Probe(POD, ip, "icmp", 0, 0, false, 0))
        .hasMessageContaining("timeout_millis");
    assertThatThrownBy(() -> new ProbeRunner.Probe(POD, ip, "gre", 0, 0, false, 1000))
        .hasMessageContaining("protocol");
  }

  @Test
  void ipLiteralsOnlyNeverNames() {
    assertThat(IpLiteral.tryParse("10.96.0.10")).isPresent();
    assertThat(IpLiteral.tryParse("fd00::a")).isPresent();
    assertThat(IpLiteral.tryParse("example.com")).isEmpty();
    assertThat(IpLiteral.tryParse("10.96.0.256")).isEmpty();
    assertThat(IpLiteral.tryParse("-c 1")).isEmpty();
  }
}
