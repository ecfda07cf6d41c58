package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.cni.Cni;
import io.podpath.agent.cni.CniProfiles;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Fix lines name the component that really runs on the node, not OVN's by default. */
class NodeAgentTest {
  private static final OvsSnapshot OVN =
      new OvsSnapshot(List.of(), List.of(), Map.of("ovn-remote", "tcp:10.0.0.1:6642"));
  private static final OvsSnapshot PLAIN = new OvsSnapshot(List.of(), List.of(), Map.of());

  @Test
  void ovnKubernetesWithOvnRunningIsOvnkubeNodeAndOvnControllerOwnsTunnels() {
    assertThat(NodeAgent.of(OVN, Optional.of(CniProfiles.of(Cni.OVN_KUBERNETES))))
        .isEqualTo("ovnkube-node");
    assertThat(NodeAgent.of(OVN, Optional.empty())).isEqualTo("ovnkube-node");
  }

  @Test
  void podsWithOvnStyleIdsOnPlainOvsAreNoOvnkubeNode() {
    // plain OVS pods carry iface-id like OVN-Kubernetes' but no ovn-remote: nothing OVN runs
    assertThat(NodeAgent.of(PLAIN, Optional.of(CniProfiles.of(Cni.OVN_KUBERNETES))))
        .isEqualTo(NodeAgent.GENERIC);
    assertThat(NodeAgent.of(PLAIN, Optional.empty())).isEqualTo(NodeAgent.GENERIC);
  }

  @Test
  void otherCnisAreNamedByTheirNodeAgent() {
    assertThat(NodeAgent.of(PLAIN, Optional.of(CniProfiles.of(Cni.OPENSHIFT_SDN)))).contains("sdn");
    assertThat(NodeAgent.of(PLAIN, Optional.of(CniProfiles.of(Cni.ACI))))
        .isEqualTo("aci-containers-host");
    assertThat(NodeAgent.of(PLAIN, Optional.of(CniProfiles.of(Cni.ANTREA))))
        .isEqualTo("antrea-agent");
  }

  @Test
  void aBrokenTunnelsFixNamesWhoRecreatesIt() {
    assertThat(TunnelsCheck.brokenRemediation("ovn-controller"))
        .contains("restart ovn-controller")
        .contains("ovs-vsctl list interface")
        .doesNotStartWith("Recreate the tunnel port");
  }
}
