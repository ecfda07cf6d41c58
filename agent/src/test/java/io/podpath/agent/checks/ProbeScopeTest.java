package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import io.podpath.agent.ip.IpPrefix;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProbeScopeTest {
  static InetAddress ip(String s) {
    return InetAddresses.forString(s);
  }

  static ProbeScope.NodeView view(String type, String dev, String gw) {
    return new ProbeScope.NodeView(
        "n1",
        Optional.of(new ProbeScope.Route(type, dev, gw)),
        "",
        Set.of("ovn-k8s-mp0"),
        "",
        Set.of(ip("192.0.2.12")),
        Set.of(ip("10.1.1.4")));
  }

  final ProbeScope none = new ProbeScope(List.of());

  @Test
  void aRouteByAClusterSidePortIsInside() {
    assertThat(none.judge(ip("10.1.2.3"), view("unicast", "ovn-k8s-mp0", "10.1.1.1")))
        .isInstanceOf(ProbeScope.Verdict.Inside.class);
    assertThat(none.judge(ip("10.1.1.255"), view("broadcast", "ovn-k8s-mp0", "")))
        .isInstanceOf(ProbeScope.Verdict.Inside.class);
  }

  @Test
  void theUplinkEvenOnLinkIsOutsideWithTheFlagInTheMessage() {
    ProbeScope.Verdict v = none.judge(ip("192.0.2.200"), view("unicast", "br-phy", ""));
    assertThat(v).isInstanceOf(ProbeScope.Verdict.Outside.class);
    assertThat(((ProbeScope.Verdict.Outside) v).message())
        .contains("192.0.2.200")
        .contains("br-phy")
        .contains("--probe-allow 192.0.2.200/32")
        .contains("agent.probeAllow");
  }

  @Test
  void nodeAddressesPeersAndLocalPodsAreInside() {
    assertThat(none.judge(ip("192.0.2.11"), view("local", "lo", "")))
        .isInstanceOf(ProbeScope.Verdict.Inside.class);
    assertThat(none.judge(ip("192.0.2.12"), view("unicast", "br-phy", "")))
        .isInstanceOf(ProbeScope.Verdict.Inside.class);
    assertThat(none.judge(ip("10.1.1.4"), view("unicast", "eth9", "")))
        .isInstanceOf(ProbeScope.Verdict.Inside.class);
  }

  @Test
  void noRouteIsOutsideSayingWhy() {
    ProbeScope.NodeView v =
        new ProbeScope.NodeView(
            "n1", Optional.empty(), "Network is unreachable", Set.of(), "x", Set.of(), Set.of());
    ProbeScope.Verdict out = none.judge(ip("fd00::7"), v);
    assertThat(((ProbeScope.Verdict.Outside) out).message())
        .contains("Network is unreachable")
        .contains("--probe-allow fd00::7/128");
  }

  @Test
  void probeAllowCoversBothFamilies() {
    ProbeScope s =
        new ProbeScope(List.of(IpPrefix.parse("192.0.2.0/24"), IpPrefix.parse("fd00::/64")));
    assertThat(s.judge(ip("192.0.2.200"), view("unicast", "br-phy", "")))
        .isInstanceOf(ProbeScope.Verdict.Inside.class);
    assertThat(s.allowedByFlag(ip("fd00::7"))).isPresent();
    assertThat(s.allowedByFlag(ip("fd00:1::7"))).isEmpty();
    assertThat(s.allowedByFlag(ip("198.51.100.1"))).isEmpty();
  }

  @Test
  void badPrefixesAreClearErrors() {
    assertThatThrownBy(() -> IpPrefix.parse("10.96.0.1/16")).hasMessageContaining("host bits");
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33")).hasMessageContaining("more than 32");
    assertThatThrownBy(() -> IpPrefix.parse("example.com/8"))
        .hasMessageContaining("not an IP prefix");
    assertThat(IpPrefix.parse("10.0.0.7").length()).isEqualTo(32);
    assertThat(IpPrefix.parse("fd00::/64").toString()).isEqualTo("fd00::/64");
  }
}
