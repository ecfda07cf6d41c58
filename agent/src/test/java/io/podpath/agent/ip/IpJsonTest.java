package io.podpath.agent.ip;

import static io.podpath.agent.core.Fixtures.HINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.core.Fixtures;
import io.podpath.agent.errors.ProtocolException;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class IpJsonTest {
  private static final class CheckFixtures {
    static String read(String name) {
      return io.podpath.agent.checks.Fixtures.read(name);
    }

    static String about(String name) {
      return io.podpath.agent.checks.Fixtures.about(name);
    }
  }

  @Test
  void podSideAddrGivesEth0WithIflinkMacMtuAndAddresses() {
    List<IpLink> links = IpJson.links(Fixtures.read("pod-ip-addr.json"));
    IpLink eth0 = links.stream().filter(l -> l.name().equals("eth0")).findFirst().orElseThrow();
    assertThat(eth0.linkIndex()).as(HINT).isPresent();
    assertThat(eth0.linkNetnsid()).as(HINT).isPresent();
    assertThat(eth0.mac()).as(HINT).isEqualTo("0a:58:0a:f4:01:03");
    assertThat(eth0.mtu()).as(HINT).isEqualTo(1400);
    assertThat(eth0.addrs()).as(HINT).extracting(IpLink.IpAddr::cidr).contains("10.244.1.3/24");
    IpLink lo = links.stream().filter(l -> l.name().equals("lo")).findFirst().orElseThrow();
    assertThat(lo.linkIndex()).isEmpty();
  }

  @Test
  void holdingComparesAddressesNotTheirText() {
    List<IpLink> links = IpJson.links(CheckFixtures.read("ip-addr.json"));
    assertThat(IpLink.holding(links, "fe80:0:0:0:5897:1eff:feca:5293"))
        .as(CheckFixtures.about("ip-addr.json"))
        .map(IpLink::name)
        .contains("eth0");
    assertThat(IpLink.holding(links, "172.31.5.11")).map(IpLink::name).contains("eth0");
    assertThat(IpLink.holding(links, "172.31.5.99")).isEmpty();
    assertThat(IpLink.holding(links, "not-an-address")).isEmpty();
  }

  @Test
  void linkOutputHasTheSameLinksAsAddrOutput() {
    List<IpLink> fromLink = IpJson.links(Fixtures.read("pod-ip-link.json"));
    List<IpLink> fromAddr = IpJson.links(Fixtures.read("pod-ip-addr.json"));
    assertThat(fromLink)
        .extracting(IpLink::ifindex, IpLink::name, IpLink::mtu)
        .as(HINT)
        .containsExactlyElementsOf(
            fromAddr.stream().map(l -> Tuple.tuple(l.ifindex(), l.name(), l.mtu())).toList());
    assertThat(fromLink).allSatisfy(l -> assertThat(l.addrs()).isEmpty());
  }

  @Test
  void podRoutesHaveDefaultViaGatewayAndTheSubnet() {
    List<IpRoute> routes = IpJson.routes(Fixtures.read("pod-ip-route4.json"));
    assertThat(routes)
        .as(HINT)
        .contains(
            new IpRoute("unicast", "default", "10.244.1.1", "eth0", "", "", "", 0),
            new IpRoute("unicast", "10.244.1.0/24", "", "eth0", "kernel", "link", "10.244.1.3", 0));
    assertThat(IpJson.routes(Fixtures.read("pod-ip-route6.json"))).as(HINT).isEmpty();
  }

  @Test
  void nodeNsidsNameThePodNamespaces() {
    Map<Integer, String> ids = IpJson.nsids(Fixtures.read("node-netns-list-id.json"));
    // the sandbox prefix depends on who recorded the fixture (hack/record-fixtures uses "rf")
    assertThat(ids.values()).as(HINT).anyMatch(n -> n.endsWith("-default-web-1"));
  }

  @Test
  void nodeAddrHasTheUnderlayIpOnBrPhy() {
    List<IpLink> links = IpJson.links(Fixtures.read("node-ip-addr.json"));
    assertThat(links)
        .as(HINT)
        .anySatisfy(
            l -> {
              assertThat(l.name()).isEqualTo("br-phy");
              // node1's underlay IP is 172.31.K.11 whatever the sandbox index K
              assertThat(l.addrs())
                  .extracting(IpLink.IpAddr::local)
                  .anyMatch(a -> a.matches("172\\.31\\.\\d+\\.11"));
            });
  }

  @Test
  void ethtoolGivesPeerIfindexAndVethPeerMatchesPodEth0() {
    Map<String, Long> stats = IpJson.ethtoolStats(Fixtures.read("node-ethtool-S-veth.txt"));
    IpLink eth0 =
        IpJson.links(Fixtures.read("pod-ip-addr.json")).stream()
            .filter(l -> l.name().equals("eth0"))
            .findFirst()
            .orElseThrow();
    assertThat(stats).as(HINT).containsKey("peer_ifindex");
    assertThat(stats.get("peer_ifindex")).as(HINT).isEqualTo((long) eth0.ifindex());
    assertThat(stats).as(HINT).containsKey("rx_queue_0_xdp_packets");
  }

  @Test
  void emptyOutputIsNoLinks() {
    assertThat(IpJson.links("")).isEmpty();
    assertThat(IpJson.ethtoolStats("no stats available\n")).isEmpty();
  }

  // The checks' recordings (hack/fixtures/checks.sh): the node side, with -s counters.

  @Test
  void nodeLinksGiveMtuAndVethPeerIndex() {
    String f = "ip-link.json";
    List<IpLink> links = IpJson.links(CheckFixtures.read(f));
    assertThat(IpLink.named(links, "vethck1").orElseThrow().mtu())
        .as(CheckFixtures.about(f))
        .isEqualTo(1400);
    assertThat(IpLink.named(links, "vethck1").orElseThrow().linkIndex()).isPresent();
    assertThat(IpLink.named(links, "eth0").orElseThrow().mtu()).isEqualTo(1500);
    assertThat(IpLink.named(links, "eth0").orElseThrow().rx()).isEqualTo(IpLink.Counters.NONE);
  }

  @Test
  void statisticsGiveErrorAndDropCounters() {
    String f = "ip-s-link-eth0.json";
    IpLink l = IpJson.links(CheckFixtures.read(f)).get(0);
    assertThat(l.operstate()).as(CheckFixtures.about(f)).isEqualTo("UP");
    assertThat(l.tx().packets()).as(CheckFixtures.about(f)).isPositive();
    assertThat(l.rx().errors()).isZero();
  }

  @Test
  void theLinkHoldingAnAddressAndTheRouteTheKernelWouldUse() {
    List<IpLink> links = IpJson.links(CheckFixtures.read("ip-addr.json"));
    assertThat(IpLink.holding(links, "172.31.5.11").map(IpLink::name))
        .as(CheckFixtures.about("ip-addr.json"))
        .contains("eth0");
    assertThat(IpLink.holding(links, "192.0.2.1")).isEmpty();
    IpRoute r = IpJson.routeGet(CheckFixtures.read("ip-route-get-pod.json"));
    assertThat(r.device()).as(CheckFixtures.about("ip-route-get-pod.json")).isEqualTo("vethck1");
    assertThat(r.type()).isEqualTo("unicast");
    assertThatThrownBy(() -> IpJson.routeGet("[]")).isInstanceOf(ProtocolException.class);
  }

  @Test
  void commonMtuIsTheMostFrequentAmongTheNamedLinksAndTheLargerOnATie() {
    List<IpLink> links = IpJson.links(Fixtures.read("node-ip-addr.json"));
    List<String> names = links.stream().map(IpLink::name).toList();
    int mtu = IpLink.commonMtu(links, names);
    assertThat(links).extracting(IpLink::mtu).contains(mtu);
    assertThat(IpLink.commonMtu(links, List.of("no-such-link"))).isZero();
    IpLink a = links.get(0);
    List<IpLink> tie =
        List.of(withNameMtu(a, "v1", 1400), withNameMtu(a, "v2", 1500), withNameMtu(a, "v3", 9000));
    assertThat(IpLink.commonMtu(tie, List.of("v1", "v2"))).isEqualTo(1500);
    List<IpLink> majority =
        List.of(withNameMtu(a, "v1", 1400), withNameMtu(a, "v2", 1400), withNameMtu(a, "v3", 1500));
    assertThat(IpLink.commonMtu(majority, List.of("v1", "v2", "v3"))).isEqualTo(1400);
  }

  private static IpLink withNameMtu(IpLink l, String name, int mtu) {
    return new IpLink(
        l.ifindex(),
        name,
        l.linkIndex(),
        l.linkNetnsid(),
        mtu,
        l.mac(),
        l.operstate(),
        l.flags(),
        l.addrs(),
        l.rx(),
        l.tx());
  }
}
