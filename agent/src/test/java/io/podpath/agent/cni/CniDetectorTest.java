package io.podpath.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.errors.FailedPreconditionException;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsBridge;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import io.podpath.agent.ovsdb.OvsState.OvsPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CniDetectorTest {

  @Test
  void recordedSdnNodeIsOpenShiftSdn() {
    Detection d = CniDetector.detect(CniFixtures.node("sdn"), Optional.empty());
    assertThat(d.profile().cni()).isEqualTo(Cni.OPENSHIFT_SDN);
    assertThat(d.overridden()).isFalse();
    assertThat(d.evidence()).containsExactly("bridge br0 with vxlan0 and tun0");
    assertThat(d.profile().gatewayPort()).contains("tun0");
    assertThat(d.profile().tunnels().portName()).contains("vxlan0");
  }

  @Test
  void recordedAciNodeIsAci() {
    Detection d = CniDetector.detect(CniFixtures.node("aci"), Optional.empty());
    assertThat(d.profile().cni()).isEqualTo(Cni.ACI);
    assertThat(d.profile().bridges()).containsExactly("br-access", "br-int");
  }

  @Test
  void recordedOvnKubernetesNodeIsOvnKubernetes() {
    Detection d = CniDetector.detect(CniFixtures.ovnKubernetesNode(), Optional.empty());
    assertThat(d.profile().cni()).isEqualTo(Cni.OVN_KUBERNETES);
    assertThat(d.evidence()).contains("interface ovn-k8s-mp0");
  }

  // Antrea and Kube-OVN have no sandbox mode yet: their rows are built here from the ids their
  // CNI code writes (docs/platform-facts.md), not recorded.
  @Test
  void antreaIsRecognisedByItsGatewayAndTunnelPorts() {
    OvsState ovs =
        node(
            "br-int",
            iface("antrea-gw0", "internal", Map.of()),
            iface("antrea-tun0", "geneve", Map.of()),
            iface("web-1-ab12cd", "", Map.of()));
    Detection d = CniDetector.detect(ovs, Optional.empty());
    assertThat(d.profile().cni()).isEqualTo(Cni.ANTREA);
    assertThat(d.evidence()).contains("interface antrea-gw0", "interface antrea-tun0");
  }

  @Test
  void antreaIsRecognisedByThePortRowIdsAlone() {
    OvsState ovs =
        node(
            "br-int",
            Map.of("web-1-ab12cd", Map.of("antrea-type", "container")),
            iface("web-1-ab12cd", "", Map.of()));
    Detection d = CniDetector.detect(ovs, Optional.empty());
    assertThat(d.profile().cni()).isEqualTo(Cni.ANTREA);
    assertThat(d.evidence()).containsExactly("port web-1-ab12cd with antrea-type");
  }

  @Test
  void kubeOvnIsNotMistakenForOvnKubernetes() {
    OvsState ovs =
        node(
            "br-int",
            iface("ovn0", "internal", Map.of("iface-id", "node-node1", "vendor", "kube-ovn")),
            iface(
                "1a2b3c4d5e6f_h",
                "",
                Map.of(
                    "iface-id", "web-1.default",
                    "vendor", "kube-ovn",
                    "pod_name", "web-1",
                    "pod_namespace", "default")));
    Detection d = CniDetector.detect(ovs, Optional.empty());
    assertThat(d.profile().cni()).isEqualTo(Cni.KUBE_OVN);
    assertThat(d.profile().gatewayPort()).contains("ovn0");
  }

  @Test
  void aNodeThatMatchesNoProfileGetsAnErrorNamingWhatWasLookedForAndTheFlag() {
    OvsState ovs = node("br-ex", iface("eth1", "", Map.of()));
    assertThatThrownBy(() -> CniDetector.detect(ovs, Optional.empty()))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("no CNI profile matches")
        .hasMessageContaining("[br-ex]")
        .hasMessageContaining("antrea-gw0")
        .hasMessageContaining("bridge br0 with ports vxlan0 and tun0")
        .hasMessageContaining("--cni NAME");
  }

  @Test
  void cniFlagOverridesDetectionAndWarnsWhenTheNodeSaysOtherwise() {
    Detection d = CniDetector.detect(CniFixtures.node("sdn"), Optional.of(Cni.ANTREA));
    assertThat(d.profile().cni()).isEqualTo(Cni.ANTREA);
    assertThat(d.overridden()).isTrue();
    assertThat(d.evidence().get(0)).isEqualTo("--cni antrea");
    assertThat(d.evidence().get(1)).startsWith("warning: the node also looks like openshift-sdn");
  }

  @Test
  void cniFlagOnANodeThatMatchesNothingIsTaken() {
    OvsState ovs = node("br-ex", iface("eth1", "", Map.of()));
    assertThat(CniDetector.detect(ovs, Optional.of(Cni.ACI)).profile().cni()).isEqualTo(Cni.ACI);
  }

  @Test
  void aNodeThatLooksLikeTwoCnisIsRefusedUntilTheFlagSettlesIt() {
    OvsState sdn = CniFixtures.node("sdn");
    List<OvsInterface> ifaces = new ArrayList<>(sdn.interfaces());
    ifaces.add(iface("antrea-gw0", "internal", Map.of()));
    OvsState both = new OvsState(sdn.system(), sdn.bridges(), sdn.ports(), ifaces);
    assertThatThrownBy(() -> CniDetector.detect(both, Optional.empty()))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("several CNI profiles")
        .hasMessageContaining("openshift-sdn")
        .hasMessageContaining("antrea");
  }

  /** The trace starts at the port whose iface-id is the pod's logical port in its CNI's form. */
  @Test
  void ovnCnisNameThePodsLogicalPortEachInItsOwnForm() {
    assertThat(CniProfiles.of(Cni.OVN_KUBERNETES).ifaceIdOf("default", "web-1"))
        .contains("default_web-1");
    assertThat(CniProfiles.of(Cni.KUBE_OVN).ifaceIdOf("default", "web-1"))
        .contains("web-1.default");
    assertThat(CniProfiles.of(Cni.ANTREA).ifaceIdOf("default", "web-1")).isEmpty();
    assertThat(CniProfiles.of(Cni.OPENSHIFT_SDN).ifaceIdOf("default", "web-1")).isEmpty();
  }

  @Test
  void cniNamesParseAndAnUnknownOneNamesTheChoices() {
    assertThat(Cni.parse("Kube-OVN")).isEqualTo(Cni.KUBE_OVN);
    assertThat(Cni.parse(" openshift-sdn ")).isEqualTo(Cni.OPENSHIFT_SDN);
    assertThatThrownBy(() -> Cni.parse("calico"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("unknown CNI 'calico'")
        .hasMessageContaining("ovn-kubernetes, openshift-sdn, aci, antrea, kube-ovn");
  }

  static OvsInterface iface(String name, String type, Map<String, String> ids) {
    return new OvsInterface(
        "u-" + name,
        name,
        type,
        OptionalLong.of(1),
        OptionalLong.empty(),
        OptionalLong.empty(),
        Map.of(),
        ids,
        Map.of(),
        "",
        "");
  }

  /** One bridge holding one port per interface. */
  static OvsState node(String bridge, OvsInterface... ifaces) {
    return node(bridge, Map.of(), ifaces);
  }

  /** One bridge holding one port per interface, with these Port-row external_ids by name. */
  static OvsState node(
      String bridge, Map<String, Map<String, String>> portIds, OvsInterface... ifaces) {
    List<OvsPort> ports =
        List.of(ifaces).stream()
            .map(
                i ->
                    new OvsPort(
                        "p-" + i.name(),
                        i.name(),
                        List.of(i.uuid()),
                        portIds.getOrDefault(i.name(), Map.of())))
            .toList();
    OvsBridge b =
        new OvsBridge(
            "b-" + bridge, bridge, "", ports.stream().map(OvsPort::uuid).toList(), Map.of());
    return new OvsState(
        new OvsState.OvsSystem("", "", Map.of(), List.of()), List.of(b), ports, List.of(ifaces));
  }
}
