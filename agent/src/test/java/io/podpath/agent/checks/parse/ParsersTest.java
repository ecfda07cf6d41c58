package io.podpath.agent.checks.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.checks.Fixtures;
import io.podpath.agent.checks.parse.KubeProxyRules.Portal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParsersTest {

  @Test
  void conntrackStatSumsPerCpuHexCountersAndKeepsEntriesOnce() throws Exception {
    String f = "proc-net-stat-nf_conntrack-after-traffic.txt";
    ConntrackStat s = ConntrackStat.parse(Fixtures.read(f));
    assertThat(s.cpus()).as(Fixtures.about(f)).isGreaterThanOrEqualTo(1);
    assertThat(s.totals())
        .as(Fixtures.about(f))
        .containsKeys("drop", "early_drop", "insert_failed", "entries");
    // entries is the global table size printed on every CPU line: taken once, not summed
    assertThat(s.get("entries"))
        .as(Fixtures.about(f))
        .isEqualTo(Long.parseLong(Fixtures.read("nf_conntrack_count.txt").trim()));
  }

  @Test
  void conntrackStatRejectsAShortLine() {
    assertThatThrownBy(() -> ConntrackStat.parse("entries drop\n00000001\n"))
        .isInstanceOf(ParseException.class);
  }

  @Test
  void ipLinkJsonGivesMtuAndVethPeerIndex() throws Exception {
    String f = "ip-link.json";
    List<IpJson.Link> links = IpJson.links(Fixtures.read(f));
    IpJson.Link veth = IpJson.link(links, "vethck1").orElseThrow();
    assertThat(veth.mtu()).as(Fixtures.about(f)).isEqualTo(1400);
    assertThat(veth.linkIndex()).as(Fixtures.about(f)).isPositive();
    assertThat(IpJson.link(links, "eth0").orElseThrow().mtu()).isEqualTo(1500);
  }

  @Test
  void ipStatisticsJsonGivesErrorAndDropCounters() throws Exception {
    String f = "ip-s-link-eth0.json";
    IpJson.Link l = IpJson.links(Fixtures.read(f)).get(0);
    assertThat(l.operstate()).as(Fixtures.about(f)).isEqualTo("UP");
    assertThat(l.tx().packets()).as(Fixtures.about(f)).isPositive();
    assertThat(l.rx().errors()).isZero();
  }

  @Test
  void ipAddrAndRouteGet() throws Exception {
    List<IpJson.Address> a = IpJson.addresses(Fixtures.read("ip-addr.json"));
    assertThat(a)
        .as(Fixtures.about("ip-addr.json"))
        .contains(new IpJson.Address("eth0", "inet", "172.31.5.11", 24, "global"));
    IpJson.RouteGet r = IpJson.routeGet(Fixtures.read("ip-route-get-pod.json"));
    assertThat(r.dev()).as(Fixtures.about("ip-route-get-pod.json")).isEqualTo("vethck1");
    assertThat(r.type()).isEqualTo("unicast");
  }

  @Test
  void ethtoolLinkDetectedAndStatistics() throws Exception {
    assertThat(Ethtool.linkDetected(Fixtures.read("ethtool-link-up.txt"))).contains(true);
    assertThat(Ethtool.linkDetected(Fixtures.read("ethtool-link-down.txt")))
        .as(Fixtures.about("ethtool-link-down.txt"))
        .contains(false);
    Map<String, Long> s = Ethtool.statistics(Fixtures.read("ethtool-S-veth.txt"));
    assertThat(s).as(Fixtures.about("ethtool-S-veth.txt")).containsKey("peer_ifindex");
  }

  @Test
  void iptablesSaveGivesKubeServicesPortals() {
    String f = "iptables-save-kube-proxy.txt";
    String text = Fixtures.read(f);
    assertThat(KubeProxyRules.hasKubeServicesChain(text)).as(Fixtures.about(f)).isTrue();
    assertThat(KubeProxyRules.iptablesPortals(text))
        .as(Fixtures.about(f))
        .containsExactlyInAnyOrder(
            new Portal("10.96.0.10", "tcp", 80), new Portal("10.96.0.10", "udp", 53));
    assertThat(KubeProxyRules.hasKubeServicesChain("*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n"))
        .isFalse();
  }

  @Test
  void ipvsadmWithoutIpvsInTheKernelIsRecognised() {
    String f = "ipvsadm-no-ipvs.txt";
    String text = Fixtures.read(f);
    assertThat(text).as(Fixtures.about(f)).contains("exit=2");
    assertThat(KubeProxyRules.ipvsAbsent(2, text)).as(Fixtures.about(f)).isTrue();
    assertThat(
            KubeProxyRules.ipvsPortals(
                "IP Virtual Server version 1.2.1 (size=4096)\n"
                    + "Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                    + "TCP  10.96.0.10:80 rr\n  -> 10.244.1.3:80  Masq 1 0 0\n"))
        .containsExactly(new Portal("10.96.0.10", "tcp", 80));
  }

  @Test
  void pingDfOutputs() throws Exception {
    PingOutput ok = PingOutput.parse(Fixtures.read("ping-df-ok.txt"));
    assertThat(ok.received()).as(Fixtures.about("ping-df-ok.txt")).isEqualTo(1);
    assertThat(ok.rttMicros()).isPresent();
    PingOutput big = PingOutput.parse(Fixtures.read("ping-df-too-big.txt"));
    assertThat(big.received()).isZero();
    assertThat(big.localMtu()).as(Fixtures.about("ping-df-too-big.txt")).hasValue(1400);
    PingOutput lost = PingOutput.parse(Fixtures.read("ping-no-answer.txt"));
    assertThat(lost.received()).isZero();
    assertThat(lost.localMtu()).isEmpty();
  }

  @Test
  void userspaceDatapathConntrackStats() throws Exception {
    String stats = Fixtures.read("dpctl-ct-stats-show.txt");
    assertThat(DpctlConntrack.total(stats))
        .as(Fixtures.about("dpctl-ct-stats-show.txt"))
        .isPresent();
    assertThat(DpctlConntrack.total("Connections Stats:\n    Total: 64\n  UDP: 60\n")).hasValue(64);
    assertThat(DpctlConntrack.maxConns(Fixtures.read("dpctl-ct-get-maxconns.txt")))
        .as(Fixtures.about("dpctl-ct-get-maxconns.txt"))
        .isPositive();
  }
}
