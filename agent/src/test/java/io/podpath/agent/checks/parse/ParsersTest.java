package io.podpath.agent.checks.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.checks.Fixtures;
import io.podpath.agent.checks.parse.KubeProxyRules.Portal;
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
  void ethtoolLinkDetected() throws Exception {
    assertThat(Ethtool.linkDetected(Fixtures.read("ethtool-link-up.txt"))).contains(true);
    assertThat(Ethtool.linkDetected(Fixtures.read("ethtool-link-down.txt")))
        .as(Fixtures.about("ethtool-link-down.txt"))
        .contains(false);
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
                """
                IP Virtual Server version 1.2.1 (size=4096)
                Prot LocalAddress:Port Scheduler Flags
                  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
                TCP  10.96.0.10:80 rr
                  -> 10.244.1.3:80  Masq 1 0 0
                """))
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
    // ICMPv6 (recorded by hack/fixtures/trace-ipv6.sh): iputils writes "mtu: N" there
    PingOutput big6 = PingOutput.parse(Fixtures.read("ping6-df-too-big.txt"));
    assertThat(big6.received()).isZero();
    assertThat(big6.localMtu()).as("fixture fixtures/checks/ping6-df-too-big.txt").hasValue(1400);
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
