package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code hack/sandbox up --ip-family dual}: every pod has both families, IPv4 first. */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, ipFamily = IpFamily.DUAL, apps = false)
class DualStackSandboxTest {

  @Test
  void bothFamiliesOfEveryPodPairCarryPackets(Sandbox sb) {
    for (Pod p : sb.pods()) {
      assertThat(p.ips()).hasSize(2);
      assertThat(p.ip()).isEqualTo(p.ip(4));
    }
    SandboxTests.assertAllPairsReach(sb, List.of(Probe.icmp(), Probe.tcp(80), Probe.udp(53)));
    Ipv6Packets.podsReachEachOther(sb);
  }

  @Test
  void serviceExternalHostNodeAndMtuInIpv6(Sandbox sb) {
    Ipv6Packets.serviceExternalNodeAndMtu(sb);
    // the IPv4 ClusterIP of the same Service still balances
    assertThat(sb.probe("default/client-1", sb.serviceIp(4), Probe.tcp(80)).delivered()).isTrue();
  }

  /** The NetworkPolicy's default-deny ACL drops IPv6 as it drops IPv4 (OVN matches no family). */
  @Test
  void denyIngressDropsBothFamilies(Sandbox sb) {
    sb.policyDenyIngress("default/web-2");
    try {
      for (int f : List.of(4, 6)) {
        assertThat(
                sb.probe("default/client-1", "default/web-2", Probe.tcp(80).inFamily(f))
                    .delivered())
            .as("IPv%d", f)
            .isFalse();
      }
      assertThat(
              sb.probe("default/web-2", "default/client-1", Probe.tcp(80).inFamily(6)).delivered())
          .isTrue();
    } finally {
      sb.clearPolicies();
    }
  }

  @Test
  void manifestCarriesBothFamilies(Sandbox sb) throws Exception {
    Ipv6Packets.manifestCarriesIpv6(sb, List.of("IPv4", "IPv6"));
  }
}
