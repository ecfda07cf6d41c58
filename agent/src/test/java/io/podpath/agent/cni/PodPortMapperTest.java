package io.podpath.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodPortMapperTest {

  private static int ifindexOf(OvsState ovs, String name) {
    return (int) ovs.interfaceByName(name).orElseThrow().ifindex().getAsLong();
  }

  @Test
  void everySdnPodIsMappedByIfindexAndConfirmedBySandboxAndIp() {
    OvsState ovs = CniFixtures.node("sdn");
    CniProfile sdn = CniProfiles.of(Cni.OPENSHIFT_SDN);
    int mapped = 0;
    for (String[] pod : CniFixtures.pods("sdn")) {
      if (!pod[2].equals("node1")) {
        continue;
      }
      PodPortMatch m =
          PodPortMapper.map(ovs, sdn, ifindexOf(ovs, pod[6]), CniFixtures.hostLinks(ovs));
      assertThat(m).isInstanceOf(PodPortMatch.Confirmed.class);
      PodPortMatch.Confirmed c = (PodPortMatch.Confirmed) m;
      assertThat(c.hostVeth()).isEqualTo(pod[6]);
      assertThat(c.bridge()).isEqualTo("br0");
      assertThat(c.iface().externalIds()).containsEntry("ip", pod[3]);
      assertThat(c.iface().ofport().getAsLong()).isPositive();
      mapped++;
    }
    assertThat(mapped).isEqualTo(3);
  }

  @Test
  void aciPodsCarryNoExternalIdsAndAreStillMappedOnBrAccess() {
    OvsState ovs = CniFixtures.node("aci");
    CniProfile aci = CniProfiles.of(Cni.ACI);
    for (String[] pod : CniFixtures.pods("aci")) {
      if (!pod[2].equals("node1")) {
        continue;
      }
      PodPortMatch m =
          PodPortMapper.map(ovs, aci, ifindexOf(ovs, pod[6]), CniFixtures.hostLinks(ovs));
      assertThat(m).isInstanceOf(PodPortMatch.Confirmed.class);
      assertThat(((PodPortMatch.Confirmed) m).bridge()).isEqualTo("br-access");
      assertThat(((PodPortMatch.Confirmed) m).iface().externalIds()).isEmpty();
    }
  }

  @Test
  void aProfileThatDoesNotFitStillMapsByIfindexAndSaysWhatIsMissing() {
    OvsState ovs = CniFixtures.node("aci");
    PodPortMatch m =
        PodPortMapper.map(
            ovs,
            CniProfiles.of(Cni.OPENSHIFT_SDN),
            ifindexOf(ovs, "veth85dffee6"),
            CniFixtures.hostLinks(ovs));
    assertThat(m).isInstanceOf(PodPortMatch.Unconfirmed.class);
    PodPortMatch.Unconfirmed u = (PodPortMatch.Unconfirmed) m;
    assertThat(u.hostVeth()).isEqualTo("veth85dffee6");
    assertThat(u.missing()).containsExactly("sandbox", "ip", "on bridge br-access, not br0");
  }

  @Test
  void ovnKubernetesPodIsConfirmedByIfaceIdAndSandbox() {
    OvsState ovs = CniFixtures.ovnKubernetesNode();
    OvsInterface web = ovs.interfacesByIfaceId("default_web-1").stream().findFirst().orElseThrow();
    PodPortMatch m =
        PodPortMapper.map(
            ovs,
            CniProfiles.of(Cni.OVN_KUBERNETES),
            (int) web.ifindex().getAsLong(),
            CniFixtures.hostLinks(ovs));
    assertThat(m).isInstanceOf(PodPortMatch.Confirmed.class);
    assertThat(((PodPortMatch.Confirmed) m).iface().name()).isEqualTo(web.name());
  }

  @Test
  void theGatewayPortIsNotTakenForAPod() {
    OvsState ovs = CniFixtures.node("sdn");
    PodPortMatch m =
        PodPortMapper.map(
            ovs,
            CniProfiles.of(Cni.OPENSHIFT_SDN),
            ifindexOf(ovs, "tun0"),
            CniFixtures.hostLinks(ovs));
    assertThat(m).isInstanceOf(PodPortMatch.Unconfirmed.class);
    assertThat(((PodPortMatch.Unconfirmed) m).missing())
        .contains("interface type is 'internal', a pod's veth has none");
  }

  @Test
  void anIfindexThatIsNoHostLinkOrNoOvsInterfaceIsNotInOvs() {
    OvsState ovs = CniFixtures.node("sdn");
    CniProfile sdn = CniProfiles.of(Cni.OPENSHIFT_SDN);
    PodPortMatch none = PodPortMapper.map(ovs, sdn, 999, CniFixtures.hostLinks(ovs));
    assertThat(none).isInstanceOf(PodPortMatch.NotInOvs.class);
    assertThat(((PodPortMatch.NotInOvs) none).reason()).contains("no link with ifindex 999");
    PodPortMatch notOvs = PodPortMapper.map(ovs, sdn, 42, Map.of(42, "cali1234"));
    assertThat(((PodPortMatch.NotInOvs) notOvs).reason())
        .contains(
            "cali1234 (ifindex 42) is not an OVS interface; openshift-sdn plugs pods into br0");
    assertThat(PodPortMapper.map(ovs, sdn, 0, Map.of())).isInstanceOf(PodPortMatch.NotInOvs.class);
  }

  @Test
  void antreaIdsAreReadFromThePortRow() {
    // Built from Antrea's ids (no antrea sandbox mode yet): the pod's ids live on the Port row.
    OvsInterface veth = CniDetectorTest.iface("web-1-ab12cd", "", Map.of());
    Map<String, String> ids =
        Map.of(
            "antrea-type", "container",
            "container-id", "c0ffee",
            "pod-name", "web-1",
            "pod-namespace", "default");
    OvsState ovs = CniDetectorTest.node("br-int", Map.of("web-1-ab12cd", ids), veth);
    CniProfile antrea = CniProfiles.of(Cni.ANTREA);
    assertThat(PodPortMapper.map(ovs, antrea, 7, Map.of(7, "web-1-ab12cd")))
        .isInstanceOf(PodPortMatch.Confirmed.class);
    OvsState bare = CniDetectorTest.node("br-int", veth);
    PodPortMatch u = PodPortMapper.map(bare, antrea, 7, Map.of(7, "web-1-ab12cd"));
    assertThat(((PodPortMatch.Unconfirmed) u).missing())
        .containsExactly("container-id", "pod-name", "pod-namespace", "antrea-type=container");
  }
}
