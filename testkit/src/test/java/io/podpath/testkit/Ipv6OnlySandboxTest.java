package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code hack/sandbox up --ip-family ipv6}: pods and the Service have IPv6 addresses only. */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, ipFamily = IpFamily.IPV6, apps = false)
class Ipv6OnlySandboxTest {

  @Test
  void podsHaveOnlyIpv6AndReachEachOther(Sandbox sb) {
    for (Pod p : sb.pods()) {
      assertThat(p.ips()).hasSize(1);
      assertThat(p.ip()).contains(":");
    }
    assertThat(sb.serviceIp()).isEqualTo(sb.serviceIp(6));
    // unnamed family: the sandbox's only one
    assertThat(sb.probe("default/client-1", "default/web-2", Probe.tcp(80)).reply())
        .isEqualTo("podpath default/web-2");
    Ipv6Packets.podsReachEachOther(sb);
  }

  @Test
  void serviceExternalHostNodeAndMtuInIpv6(Sandbox sb) {
    Ipv6Packets.serviceExternalNodeAndMtu(sb);
  }

  @Test
  void ipv4IsRefusedOnAnIpv6Sandbox(Sandbox sb) {
    ExecResult r =
        sb.script(
            java.time.Duration.ofSeconds(30),
            "probe",
            "default/client-1",
            "default/web-2",
            "--tcp",
            "80",
            "--family",
            "4");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("--family 4 on an ipv6 sandbox");
  }

  @Test
  void manifestCarriesIpv6(Sandbox sb) throws Exception {
    Ipv6Packets.manifestCarriesIpv6(sb, List.of("IPv6"));
  }
}
