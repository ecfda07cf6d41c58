package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.grpc.CheckMapper;
import io.podpath.proto.mesh.PeerSets;
import io.podpath.proto.v1.NodeSummary;
import io.podpath.proto.v1.PeerSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tunnels check against the cluster's peer-set digest, and the node summary a sweep gets, on
 * OVSDB rows shaped as OVS reports them (the real thing: ChecksSandboxTest).
 */
class TunnelsCheckDigestTest {
  static final String SELF = "10.0.0.1";

  static OvsSnapshot.Iface tunnel(String remote, int ofport, String error) {
    return new OvsSnapshot.Iface(
        "ovn-" + remote, "br-int", "geneve", ofport, error, remote, "", "");
  }

  static CheckContext ctx(int clusterNodes, List<OvsSnapshot.Iface> ifaces) {
    RecordedNode node = new RecordedNode();
    node.ovs = new OvsSnapshot(List.of(), ifaces, Map.of("ovn-encap-ip", SELF));
    List<String> ips = new ArrayList<>();
    for (int i = 1; i <= clusterNodes; i++) {
      ips.add("10.0.0." + i);
    }
    PeerSet p = PeerSets.expected(ips).forNode(SELF);
    ClusterFacts facts =
        new ClusterFacts(
            List.of(),
            List.of(),
            List.of(),
            "",
            Optional.of(new ClusterFacts.PeerSet(p.getCount(), p.getSha256(), SELF)));
    return new CheckContext("node1", facts, node, node, node, new CounterMemory());
  }

  static List<OvsSnapshot.Iface> mesh(int clusterNodes) {
    List<OvsSnapshot.Iface> out = new ArrayList<>();
    for (int i = 2; i <= clusterNodes; i++) {
      out.add(tunnel("10.0.0." + i, i, ""));
    }
    return out;
  }

  @Test
  void aFullMeshMatchesWithConstantSizeEvidence() {
    CheckResult r = new TunnelsCheck().run(ctx(500, mesh(500)));
    assertThat(r.status()).isEqualTo(CheckStatus.OK);
    assertThat(r.summary()).isEqualTo("tunnels to all 499 peers present");
    assertThat(r.evidence()).hasSize(1);
  }

  @Test
  void aMissingOrBrokenTunnelFailsAndTheSummaryCarriesTheRemotes() {
    List<OvsSnapshot.Iface> t = new ArrayList<>(mesh(5));
    t.remove(0); // no tunnel to 10.0.0.2
    t.set(0, tunnel("10.0.0.3", -1, "could not add network device"));
    CheckContext c = ctx(5, t);
    CheckResult r = new TunnelsCheck().run(c);
    assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(r.summary())
        .contains("tunnel ovn-10.0.0.3 to 10.0.0.3 broken: ofport -1 could not add network device")
        .contains("working tunnels to 2 remote IPs do not match the cluster's 4 peers");
    NodeSummary s =
        CheckMapper.summary(
            CheckService.Summary.of(NodeSummaryReader.read(c)), c.cluster().peerSet());
    assertThat(s.getTunnelsMatchPeerSet()).isFalse();
    assertThat(s.getTunnelRemoteIpsList()).containsExactly("10.0.0.4", "10.0.0.5");
    assertThat(s.getBrokenTunnels()).isEqualTo(1);
    assertThat(s.getEncapIp()).isEqualTo(SELF);
    assertThat(s.getError()).as("no ip output recorded").startsWith("links unreadable");
  }

  @Test
  void aMatchingNodeSendsNoRemoteList() {
    CheckContext c = ctx(300, mesh(300));
    NodeSummary s =
        CheckMapper.summary(
            CheckService.Summary.of(NodeSummaryReader.read(c)), c.cluster().peerSet());
    assertThat(s.getTunnelsMatchPeerSet()).isTrue();
    assertThat(s.getTunnelRemoteIpsList()).isEmpty();
    assertThat(s.getWorkingTunnels()).isEqualTo(299);
  }

  @Test
  void aSingleNodeClusterHasNothingToTunnelTo() {
    assertThat(new TunnelsCheck().run(ctx(1, List.of())).status())
        .isEqualTo(CheckStatus.NOT_APPLICABLE);
  }

  @Test
  void tunnelsOverTheOtherFamilysUnderlayMatchItsDigest() {
    List<String> v6 = List.of("fd00::1", "fd00::2", "fd00::3");
    PeerSet p6 = PeerSets.expected(v6).forNode("fd00::1");
    CheckContext c = ctx(3, List.of(tunnel("fd00::2", 2, ""), tunnel("fd00::3", 3, "")));
    ClusterFacts.PeerSet v4 = c.cluster().peerSet().orElseThrow();
    ClusterFacts.PeerSet both =
        new ClusterFacts.PeerSet(
            v4.count(),
            v4.sha256(),
            v4.selfEncapIp(),
            Optional.of(new ClusterFacts.PeerSet(p6.getCount(), p6.getSha256(), "fd00::1")));
    assertThat(v4.matchedBy(List.of("fd00::2", "fd00::3"))).isFalse();
    assertThat(both.matchedBy(List.of("fd00::2", "fd00::3"))).isTrue();
    assertThat(both.matchedBy(List.of("fd00::2"))).isFalse();
    assertThat(both.matchedBy(List.of("10.0.0.2", "10.0.0.3"))).isTrue();
  }
}
