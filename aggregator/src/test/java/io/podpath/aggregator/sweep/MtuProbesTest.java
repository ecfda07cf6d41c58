package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.model.PodPing;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which pings the MTU probe plans, per family, and how its outcomes name the family. */
class MtuProbesTest {
  private static final List<NodeInfo> NODES =
      List.of(
          new NodeInfo("n1", "172.31.9.11", "172.31.9.11", List.of()),
          new NodeInfo("n2", "172.31.9.12", "172.31.9.12", List.of()));
  private static final PodPing.Result OK = new PodPing.Result(true, "1 received");
  private static final PodPing.Result LOST = new PodPing.Result(false, "100% packet loss");

  private static PodInfo pod(String name, String node, String... ips) {
    return new PodInfo(
        new ObjectRef("default", name), node, List.of(ips), "", Map.of(), "Running", true, false);
  }

  private static MtuProbes probes(PodInfo... pods) {
    return new MtuProbes(new ClusterIndex(List.of(pods), List.of(), List.of(), NODES, List.of()));
  }

  @Test
  void aDualStackClusterIsProbedInBothFamiliesAndEachOutcomeNamesItsFamily() {
    MtuProbes p =
        probes(
            pod("web-1", "n1", "10.244.1.3", "fd00:10:244:1::3"),
            pod("web-2", "n2", "10.244.2.3", "fd00:10:244:2::3"));
    List<MtuProbes.Path> paths = p.paths("n1");
    assertThat(paths)
        .extracting(MtuProbes.Path::dstIp)
        .containsExactly("10.244.2.3", "fd00:10:244:2::3");
    assertThat(paths).extracting(x -> MtuProbes.bigSize(x, 1400)).containsExactly(1372, 1352);
    assertThat(paths)
        .extracting(MtuProbes.Path::pair)
        .containsExactly("n1→n2 (IPv4)", "n1→n2 (IPv6)");
    p.big(paths.get(0), 1400, OK, OK);
    p.big(paths.get(1), 1400, OK, LOST); // an IPv6-only blackhole
    for (MtuProbes.Path back : p.paths("n2")) {
      p.big(back, 1400, OK, OK);
    }
    List<MtuProbes.Outcome> out = p.outcomes(n -> Optional.empty());
    assertThat(out)
        .extracting(o -> o.verdict() + " " + o.text().split(":")[0])
        .containsExactly(
            "PASSED n1→n2 (IPv4)",
            "FAILED n1→n2 (IPv6)",
            "PASSED n2→n1 (IPv4)",
            "PASSED n2→n1 (IPv6)");
  }

  @Test
  void aSingleFamilyClusterKeepsOnePathPerNodeWithoutAFamilyName() {
    MtuProbes v6 = probes(pod("a", "n1", "fd00:10:244:1::3"), pod("b", "n2", "fd00:10:244:2::3"));
    assertThat(v6.paths("n1")).extracting(MtuProbes.Path::pair).containsExactly("n1→n2");
    assertThat(v6.paths("n1").get(0).overhead()).isEqualTo(MtuProbes.ICMP6_OVERHEAD);
    MtuProbes v4 = probes(pod("a", "n1", "10.244.1.3"), pod("b", "n2", "10.244.2.3"));
    assertThat(v4.paths("n2")).extracting(MtuProbes.Path::dstIp).containsExactly("10.244.1.3");
    // one node with IPv6 pods is no IPv6 ring: the cluster stays IPv4 only
    MtuProbes mixed =
        probes(pod("a", "n1", "10.244.1.3", "fd00:10:244:1::3"), pod("b", "n2", "10.244.2.3"));
    assertThat(mixed.paths("n1")).extracting(MtuProbes.Path::pair).containsExactly("n1→n2");
  }
}
