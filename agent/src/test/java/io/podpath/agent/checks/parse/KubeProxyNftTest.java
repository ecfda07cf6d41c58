package io.podpath.agent.checks.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.checks.Fixtures;
import io.podpath.agent.checks.parse.KubeProxyRules.Portal;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code nft -j list table ip kube-proxy} recorded from a real sandbox node in kube-proxy's
 * nftables layout (hack/fixtures/kubeproxy-nft.sh).
 */
class KubeProxyNftTest {
  static final Portal TCP = new Portal("10.96.0.10", "tcp", 80);
  static final Portal UDP = new Portal("10.96.0.10", "udp", 53);
  static final Portal NP_TCP = Portal.nodePort("tcp", 30080);
  static final Portal NP_UDP = Portal.nodePort("udp", 30053);
  static final Set<String> WEB80 = Set.of("10.244.1.3:80", "10.244.2.3:80", "10.244.3.3:80");
  static final Set<String> WEB53 = Set.of("10.244.1.3:53", "10.244.2.3:53", "10.244.3.3:53");

  static KubeProxyNft.Table table(String name) throws ParseException {
    return KubeProxyNft.parse(Fixtures.read("kubeproxy-nft/" + name));
  }

  @Test
  void serviceIpsElementsLeadThroughNumgenToTheEndpointChainsDnat() throws Exception {
    KubeProxyNft.Table t = table("healthy.json");
    assertThat(t.backends())
        .as(Fixtures.about("kubeproxy-nft/healthy.json"))
        .isEqualTo(Map.of(TCP, WEB80, UDP, WEB53));
    assertThat(t.chains().get(TCP)).startsWith("service-").endsWith("-default/web/tcp/http");
  }

  @Test
  void nodePortsGoThroughTheExternalChainToTheSameEndpoints() throws Exception {
    KubeProxyNft.Table t = table("nodeports.json");
    assertThat(t.backends())
        .as(Fixtures.about("kubeproxy-nft/nodeports.json"))
        .isEqualTo(Map.of(TCP, WEB80, UDP, WEB53, NP_TCP, WEB80, NP_UDP, WEB53));
    assertThat(t.chains().get(NP_TCP)).startsWith("external-");
  }

  @Test
  void staleEndpointChainInTheVmapIsABackend() throws Exception {
    KubeProxyNft.Table t = table("stale-backend.json");
    assertThat(t.backends().get(TCP))
        .as(Fixtures.about("kubeproxy-nft/stale-backend.json"))
        .contains("10.244.2.99:80")
        .containsAll(WEB80);
    assertThat(t.backends().get(NP_TCP)).contains("10.244.2.99:80");
  }

  @Test
  void removedMapElementsAreNoPortals() throws Exception {
    KubeProxyNft.Table t = table("lb-removed.json");
    assertThat(t.backends())
        .as(Fixtures.about("kubeproxy-nft/lb-removed.json"))
        .containsOnlyKeys(UDP, NP_UDP);
  }

  @Test
  void flushedServiceChainIsAPortalWithoutBackends() throws Exception {
    KubeProxyNft.Table t = table("service-chain-flushed.json");
    assertThat(t.backends())
        .as(Fixtures.about("kubeproxy-nft/service-chain-flushed.json"))
        .containsEntry(TCP, Set.of())
        .containsEntry(UDP, WEB53);
  }

  @Test
  void absentTableIsNftsOwnNoSuchFile() {
    String text = Fixtures.read("kubeproxy-nft/no-table.txt");
    assertThat(text).as(Fixtures.about("kubeproxy-nft/no-table.txt")).contains("exit=1");
    assertThat(KubeProxyNft.tableAbsent(1, text)).isTrue();
    assertThat(KubeProxyNft.tableAbsent(0, "")).isFalse();
    assertThat(KubeProxyNft.tableAbsent(1, "Error: Operation not permitted")).isFalse();
  }

  @Test
  void notNftJsonIsAParseError() {
    assertThatThrownBy(() -> KubeProxyNft.parse("table ip kube-proxy {"))
        .isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> KubeProxyNft.parse("{\"tables\": []}"))
        .isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> KubeProxyNft.parse("")).isInstanceOf(ParseException.class);
  }
}
