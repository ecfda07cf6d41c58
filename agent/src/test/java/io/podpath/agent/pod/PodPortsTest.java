package io.podpath.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.cni.Cni;
import io.podpath.agent.cni.CniProfile;
import io.podpath.agent.cni.CniProfiles;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import io.podpath.agent.ovsdb.VsctlOvsDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CNI profile's way to a pod's port, on OVSDB rows recorded from the CNI-mode sandboxes. */
class PodPortsTest {

  private static String read(String path) throws IOException {
    try (InputStream in = PodPortsTest.class.getResourceAsStream("/fixtures/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static OvsState node(String mode) throws IOException {
    String dir = "cni/" + mode + "/node1-";
    return OvsState.fromRows(
        List.of(),
        VsctlOvsDatabase.parse(read(dir + "bridges.json")),
        VsctlOvsDatabase.parse(read(dir + "ports.json")),
        VsctlOvsDatabase.parse(read(dir + "interfaces.json")));
  }

  /** pods.tsv rows of node1: ns, pod, node, ip, mac, netns, host veth. */
  private static List<String[]> pods(String mode) throws IOException {
    return read("cni/" + mode + "/pods.tsv")
        .lines()
        .map(l -> l.split("\t"))
        .filter(r -> r[2].equals("node1"))
        .toList();
  }

  @Test
  void sdnPodsAreFoundByIpTheirPortRecordsFirstAndOnlyVethsOnBr0AreCandidates() throws Exception {
    OvsState ovs = node("sdn");
    CniProfile sdn = CniProfiles.of(Cni.OPENSHIFT_SDN);
    assertThat(PodPorts.namesPods(sdn)).isFalse();
    for (String[] p : pods("sdn")) {
      assertThat(PodPorts.byName(ovs, sdn, new PodKey(p[0], p[1]))).isEmpty();
      List<OvsInterface> c = PodPorts.candidates(ovs, sdn, p[3]);
      assertThat(c.get(0).name()).isEqualTo(p[6]);
      assertThat(c).extracting(OvsInterface::name).allMatch(n -> n.startsWith("veth"));
      assertThat(c).hasSize(pods("sdn").size());
    }
  }

  @Test
  void aciCandidatesAreTheVethsOnBrAccessNotThePatchPorts() throws Exception {
    OvsState ovs = node("aci");
    CniProfile aci = CniProfiles.of(Cni.ACI);
    assertThat(PodPorts.namesPods(aci)).isFalse();
    List<String> want = pods("aci").stream().map(p -> p[6]).sorted().toList();
    assertThat(PodPorts.candidates(ovs, aci, "10.244.1.3"))
        .extracting(OvsInterface::name)
        .containsExactlyElementsOf(want);
  }

  @Test
  void ovnKubernetesPodsAreFoundByIfaceIdAndNamedFromIt() throws Exception {
    CniProfile ovnk = CniProfiles.of(Cni.OVN_KUBERNETES);
    // rows with another CNI's ids name no OVN-Kubernetes pod
    assertThat(PodPorts.byName(node("sdn"), ovnk, new PodKey("blue", "client-1"))).isEmpty();
    OvsState ovn =
        OvsState.fromRows(
            List.of(),
            VsctlOvsDatabase.parse(read("agent-core/vsctl-bridge.json")),
            List.of(),
            VsctlOvsDatabase.parse(read("agent-core/vsctl-interface.json")));
    OvsInterface pod =
        ovn.interfaces().stream()
            .filter(i -> i.externalIds().getOrDefault("iface-id", "").contains("_"))
            .findFirst()
            .orElseThrow();
    PodKey key = PodKey.fromIfaceId(pod.externalIds().getOrDefault("iface-id", "")).orElseThrow();
    assertThat(PodPorts.byName(ovn, ovnk, key)).containsExactly(pod);
    assertThat(PodPorts.nameOf(ovn, ovnk, pod)).contains(key);
  }
}
