package io.podpath.agent.checks.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.checks.Fixtures;
import io.podpath.agent.checks.parse.KubeProxyRules.Portal;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KubeProxyBackendsTest {
  @Test
  void iptablesPortalsFollowTheirChainsToTheDnatTargets() {
    Map<Portal, Set<String>> b =
        KubeProxyRules.iptablesBackends(Fixtures.read("iptables-save-kube-proxy.txt"));
    assertThat(b)
        .as(Fixtures.about("iptables-save-kube-proxy.txt"))
        .containsEntry(new Portal("10.96.0.10", "tcp", 80), Set.of("10.244.1.3:80"))
        // the UDP portal's chain has no endpoint: programmed, with no backend
        .containsEntry(new Portal("10.96.0.10", "udp", 53), Set.of());
  }

  @Test
  void ip6tablesPortalsGiveBracketedIpv6Backends() {
    String f = "ip6tables-save-kube-proxy.txt";
    assertThat(KubeProxyRules.hasKubeServicesChain(Fixtures.read(f))).isTrue();
    assertThat(KubeProxyRules.iptablesBackends(Fixtures.read(f)))
        .as(Fixtures.about(f))
        .isEqualTo(Map.of(new Portal("fd00:10:96::a", "tcp", 80), Set.of("[fd00:10:244:1::3]:80")));
  }

  @Test
  void ipv6PortalsPrintTheirAddressBracketedBeforeThePort() {
    assertThat(new Portal("fd00:10:96::a", "tcp", 80)).hasToString("tcp [fd00:10:96::a]:80");
    assertThat(new Portal("10.96.0.10", "tcp", 80)).hasToString("tcp 10.96.0.10:80");
    assertThat(Portal.nodePort6("tcp", 30080)).hasToString("NodePort tcp/30080 (IPv6)");
    assertThat(Portal.nodePort("tcp", 30080).inIpv6()).isEqualTo(Portal.nodePort6("tcp", 30080));
  }

  @Test
  void ip6tablesNodePortsFollowKubeExtToTheIpv6Endpoints() {
    String f = "ip6tables-save-nodeports.txt";
    assertThat(KubeProxyRules.nodePortTargets(Fixtures.read(f), "KUBE-NODEPORTS"))
        .as(Fixtures.about(f))
        .isEqualTo(Map.of(Portal.nodePort("tcp", 30080), Set.of("[fd00:10:244:1::3]:80")));
    assertThat(KubeProxyRules.iptablesBackends(Fixtures.read(f)))
        .containsOnlyKeys(new Portal("fd00:10:96::a", "tcp", 80));
  }

  @Test
  void ipvsRealServersUnderTheirVirtualService() {
    String ipvsadm =
        """
        IP Virtual Server version 1.2.1 (size=4096)
        Prot LocalAddress:Port Scheduler Flags
          -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
        TCP  10.96.0.10:80 rr
          -> 10.244.1.3:80                Masq    1      0          0
          -> 10.244.2.3:80                Masq    1      0          0
        UDP  10.96.0.10:53 rr
        """;
    assertThat(KubeProxyRules.ipvsBackends(ipvsadm))
        .isEqualTo(
            Map.of(
                new Portal("10.96.0.10", "tcp", 80), Set.of("10.244.1.3:80", "10.244.2.3:80"),
                new Portal("10.96.0.10", "udp", 53), Set.of()));
  }

  @Test
  void kubeProxyNodePortsFollowKubeExtToTheEndpoints() {
    String save = Fixtures.read("iptables-save-nodeports.txt");
    assertThat(KubeProxyRules.nodePortTargets(save, "KUBE-NODEPORTS"))
        .as(Fixtures.about("iptables-save-nodeports.txt"))
        .isEqualTo(Map.of(Portal.nodePort("tcp", 30080), Set.of("10.244.1.3:80")));
    // the NodePort jump at the end of KUBE-SERVICES is no cluster-IP portal
    assertThat(KubeProxyRules.iptablesBackends(save))
        .containsOnlyKeys(new Portal("10.96.0.10", "tcp", 80));
  }

  @Test
  void ovnKubernetesNodePortsDnatToTheClusterIp() {
    assertThat(
            KubeProxyRules.nodePortTargets(
                Fixtures.read("iptables-save-nodeports.txt"), "OVN-KUBE-NODEPORT"))
        .as(Fixtures.about("iptables-save-nodeports.txt"))
        .isEqualTo(
            Map.of(
                Portal.nodePort("tcp", 30080), Set.of("10.96.0.10:80"),
                Portal.nodePort("udp", 30053), Set.of("10.96.0.10:53")));
    assertThat(Portal.nodePort("tcp", 30080)).hasToString("NodePort tcp/30080");
  }
}
