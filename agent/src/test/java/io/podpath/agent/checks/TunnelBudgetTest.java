package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.ip.IpRoute;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The route a tunnel's packets take, matched in memory over the main table (longest prefix). */
class TunnelBudgetTest {
  static IpRoute route(String type, String dst, String dev, int mtu) {
    return new IpRoute(type, dst, "", dev, "kernel", "link", "", mtu);
  }

  static final List<IpRoute> TABLE =
      List.of(
          route("unicast", "default", "eth9", 0),
          route("unicast", "172.31.9.0/24", "br-phy", 0),
          route("unicast", "172.31.9.13", "tun-mtu", 1400),
          route("unreachable", "172.31.9.14", "", 0));

  /** Tables are read per family (ip -j [-6] route show). */
  static final List<IpRoute> TABLE6 = List.of(route("unicast", "fd00::/64", "v6dev", 0));

  static String dev(String ip) {
    return TunnelBudget.longestMatch(
            ip.contains(":") ? TABLE6 : TABLE, IpLiteral.tryParse(ip).orElseThrow())
        .map(IpRoute::device)
        .orElse("none");
  }

  @Test
  void withEveryRouteEligibleAnUnreachableHostRouteIsTheMatch() {
    // what routes' fix line names: the route that overrides the subnet's, whatever its type
    assertThat(
            TunnelBudget.longestMatch(
                TABLE, IpLiteral.tryParse("172.31.9.14").orElseThrow(), r -> true))
        .map(IpRoute::type)
        .contains("unreachable");
    assertThat(dev("172.31.9.14")).isEqualTo("br-phy");
  }

  @Test
  void theLongestPrefixWinsAndTheDefaultCatchesTheRest() {
    assertThat(dev("172.31.9.12")).isEqualTo("br-phy");
    assertThat(dev("172.31.9.13")).isEqualTo("tun-mtu");
    assertThat(dev("10.1.2.3")).isEqualTo("eth9");
  }

  @Test
  void unreachableRoutesAreNotUsedAndV6MatchesByPrefix() {
    assertThat(dev("172.31.9.14")).isEqualTo("br-phy");
    assertThat(dev("fd00::5")).isEqualTo("v6dev");
    assertThat(dev("fd01::5")).isEqualTo("none");
  }

  @Test
  void overheadByTypeOvnAndFamily() {
    assertThat(TunnelBudget.overhead("geneve", true, false)).contains(58);
    assertThat(TunnelBudget.overhead("geneve", false, false)).contains(50);
    assertThat(TunnelBudget.overhead("vxlan", false, true)).contains(70);
    assertThat(TunnelBudget.overhead("gre", false, false)).isEmpty();
  }
}
