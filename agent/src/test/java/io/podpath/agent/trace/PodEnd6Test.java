package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.ip.IpRoute;
import io.podpath.agent.kernel.Fixtures;
import io.podpath.agent.kernel.IpAddr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * A pod end's IPv6 routes, as {@code ip -j -6 route show} printed them in default/web-1's netns of
 * an IPv6 sandbox (hack/fixtures/kernel-ipv6.sh): as it is, and with its default route removed.
 */
class PodEnd6Test {
  private static final PodName WEB = new PodName("default", "web-1");
  private static final String PEER = "fd00:10:244:2::3"; // a pod of the other node
  private static final List<IpRoute> V4 =
      List.of(new IpRoute("", "default", "10.244.1.1", "eth0", "", "", "", 0));

  private final List<SizeCheck> sizes = new ArrayList<>();
  private final List<TraceFinding> findings = new ArrayList<>();

  private static IpLink eth0() {
    return new IpLink(
        2,
        "eth0",
        OptionalInt.of(7),
        OptionalInt.of(0),
        1400,
        "0a:58:0a:f4:01:03",
        "UP",
        List.of("UP"),
        List.of(new IpLink.IpAddr("inet6", "fd00:10:244:1::3", 64, "global")),
        IpLink.Counters.NONE,
        IpLink.Counters.NONE);
  }

  private static PodEnd end(String fixture) {
    List<IpRoute> v6 = IpJson.routes(Fixtures.read("ipv6/" + fixture));
    return new PodEnd(WEB, "node1", "eth0", Optional.of(eth0()), V4, v6);
  }

  private Optional<PodEnd.Blocked> judge(PodEnd end, PodEnd.Side side) {
    return end.judge(side, PEER, 60, true, sizes, findings);
  }

  @Test
  void aHealthyPodsIpv6RouteIsCheckedWithoutAWarning() {
    PodEnd end = end("pod-route6.json");
    assertThat(judge(end, PodEnd.Side.SOURCE)).isEmpty();
    assertThat(judge(end, PodEnd.Side.DESTINATION)).isEmpty();
    assertThat(findings).extracting(TraceFinding::code).doesNotContain("pod-route-unchecked");
    assertThat(end.route(IpAddr.parse("test", PEER)))
        .hasValueSatisfying(r -> assertThat(r.gateway()).isEqualTo("fd00:10:244:1::1"));
    // its own /64 is on-link: the longest prefix wins over the default route
    assertThat(end.route(IpAddr.parse("test", "fd00:10:244:1::4")))
        .hasValueSatisfying(r -> assertThat(r.destination()).isEqualTo("fd00:10:244:1::/64"));
  }

  @Test
  void withoutItsIpv6DefaultRouteThePodHasNoRouteToAnotherNodesPod() {
    PodEnd end = end("pod-route6-no-default.json");
    PodEnd.Blocked b = judge(end, PodEnd.Side.SOURCE).get();
    assertThat(b.code()).isEqualTo("pod-no-route");
    assertThat(b.text())
        .isEqualTo(
            "pod default/web-1 on node1 has no route to fd00:10:244:2::3: the pod cannot send the"
                + " packet (its routes: [fd00:10:244:1::/64 dev eth0, fe80::/64 dev eth0])");
    assertThat(judge(end, PodEnd.Side.DESTINATION).get().text())
        .contains("the packet arrives but nothing goes back");
    // the pod's own IPv4 default route does not stand in for the missing IPv6 one
    assertThat(end.route(IpAddr.parse("test", "10.244.2.3"))).isPresent();
    assertThat(end.route(IpAddr.parse("test", PEER))).isEmpty();
  }

  @Test
  void aListOfBothFamiliesTellsADefaultRouteByItsGateway() {
    // InspectPod's routes hold both families: an IPv6 default route is no IPv4 route
    List<IpRoute> both =
        new ArrayList<>(List.of(new IpRoute("", "10.244.1.0/24", "", "eth0", "", "", "", 0)));
    both.addAll(IpJson.routes(Fixtures.read("ipv6/pod-route6.json")));
    PodEnd end = new PodEnd(WEB, "node1", "eth0", Optional.of(eth0()), both);
    assertThat(end.route(IpAddr.parse("test", "10.244.2.3"))).isEmpty();
    assertThat(end.route(IpAddr.parse("test", "10.244.1.4"))).isPresent();
  }
}
