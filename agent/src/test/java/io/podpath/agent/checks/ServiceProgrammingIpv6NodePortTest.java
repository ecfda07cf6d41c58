package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * service-programming on a kube-proxy node of a dual-stack Service with a NodePort: the IPv4
 * NodePort is read from {@code iptables-save}, the IPv6 one from {@code ip6tables-save} (both
 * recorded by hack/fixtures/checks.sh; the second also with the TCP NodePort's rule deleted, as
 * {@code hack/sandbox break nodeport-removed} does).
 */
class ServiceProgrammingIpv6NodePortTest {
  private static final List<String> SAVE = List.of("iptables-save", "-t", "nat");
  private static final List<String> SAVE6 = List.of("ip6tables-save", "-t", "nat");

  private static final ClusterFacts.Service WEB =
      new ClusterFacts.Service(
          "default",
          "web",
          List.of("10.96.0.10", "fd00:10:96::a"),
          List.of(new ClusterFacts.Port("tcp", 80, 30080)),
          Optional.of(
              List.of(
                  new ClusterFacts.Backend("tcp", 80, "10.244.1.3", 80),
                  new ClusterFacts.Backend("tcp", 80, "fd00:10:244:1::3", 80))));

  private static CheckResult run(String ip6tablesFixture) {
    RecordedNode node = new RecordedNode();
    node.ovs = new OvsSnapshot(List.of(), List.of(), Map.of()); // no OVN: kube-proxy's rules
    node.commands.put(
        SAVE, new CommandOutput(SAVE, 0, Fixtures.read("iptables-save-nodeports.txt"), ""));
    node.commands.put(SAVE6, new CommandOutput(SAVE6, 0, Fixtures.read(ip6tablesFixture), ""));
    ClusterFacts cluster =
        new ClusterFacts(List.of(), List.of(WEB), List.of(), "", Optional.empty());
    return new ServiceProgrammingCheck()
        .run(new CheckContext("node1", cluster, node, node, node, new CounterMemory()));
  }

  @Test
  void bothFamiliesNodePortsAreReadWithTheirOwnEndpoints() {
    CheckResult r = run("ip6tables-save-nodeports.txt");
    assertThat(r.status()).as(r.summary() + r.evidence()).isEqualTo(CheckStatus.OK);
    assertThat(r.summary())
        .contains("NodePorts in iptables KUBE-NODEPORTS and ip6tables KUBE-NODEPORTS");
    assertThat(r.evidence())
        .anySatisfy(
            e -> {
              assertThat(e.source())
                  .isEqualTo(
                      "NodePort tcp/30080 (IPv6) (default/web) backends in ip6tables"
                          + " KUBE-NODEPORTS");
              assertThat(e.value()).isEqualTo("[[fd00:10:244:1::3]:80]");
            })
        .anySatisfy(
            e -> {
              assertThat(e.source())
                  .isEqualTo(
                      "NodePort tcp/30080 (default/web) backends in iptables KUBE-NODEPORTS");
              assertThat(e.value()).isEqualTo("[10.244.1.3:80]");
            });
  }

  @Test
  void ipv6NodePortRuleRemovedFailsNamingTheIpv6NodePortOnly() {
    CheckResult r = run("ip6tables-save-nodeports-removed.txt");
    assertThat(r.status()).as(r.summary()).isEqualTo(CheckStatus.FAIL);
    assertThat(r.summary())
        .contains("1 Service port(s) not programmed on node1 in ip6tables KUBE-NODEPORTS")
        .contains("NodePort tcp/30080 (IPv6) (default/web)");
    assertThat(r.remediation()).startsWith("kube-proxy on node1 has not programmed");
  }
}
