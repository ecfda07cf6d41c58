package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxExtension;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The RunChecks matrix of a CNI without OVN whose one tunnel port's peers are written into flows
 * (Antrea's antrea-tun0, OpenShift SDN's vxlan0): no ovn-encap-ip, so the tunnel budget and the
 * underlay NIC come from the route to each peer. A subclass names its bridge, tunnel port and host
 * gateway and carries the {@code @SandboxConfig} of its mode.
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FlowTunnelChecksMatrix {
  private CheckMatrix m;

  /** The integration bridge OVS reports ({@code br-int}, {@code br0}). */
  abstract String bridge();

  /** The flow-based tunnel port ({@code antrea-tun0}, {@code vxlan0}). */
  abstract String tunnelPort();

  /** The host's gateway into the bridge, the device pod routes point at. */
  abstract String gateway();

  @BeforeAll
  void start(Sandbox s) throws Exception {
    m = new CheckMatrix(s);
  }

  @AfterAll
  void stop() {
    m.close();
  }

  @Test
  void healthySweepHasNoErrorAndNoFalseFail() throws Exception {
    m.awaitHealthy();
    Map<String, Map<String, CheckResult>> s = m.sweep();
    m.assertHealthy(s);
    assertThat(CheckMatrix.result(s, "node1", "ovs").getSummary())
        .as(CheckMatrix.describe(s))
        .contains(bridge());
    // the tunnel's peers are read from the flows' tunnel destinations
    assertThat(CheckMatrix.result(s, "node1", "tunnels").getEvidenceList().toString())
        .as(CheckMatrix.describe(s))
        .contains(tunnelPort())
        .contains(m.ip("node2"))
        .contains(m.ip("node3"));
    assertThat(CheckMatrix.result(s, "node2", "pod-plumbing").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("every expected pod plumbed");
    assertThat(CheckMatrix.result(s, "node2", "dns").getStatus())
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
    // the budget without ovn-encap-ip: the route to each peer of the tunnel port's flows
    assertThat(CheckMatrix.result(s, "node1", "mtu").getSummary())
        .as(CheckMatrix.describe(s))
        .contains(tunnelPort())
        .contains("- 50");
  }

  @Test
  void mtuFaultFailsMtuOnThatNodeNamingTheTunnelPort() throws Exception {
    // pod MTU 1500 over a 1500 underlay with Geneve or VXLAN (50): the port carries 1450
    m.faultCase(Fault.MTU, Map.of("node2", Set.of("mtu")), Set.of(), tunnelPort());
    assertThat(CheckMatrix.result(m.lastFault, "node2", "mtu").getSummary())
        .contains("MTU 1500 > 1450");
  }

  @Test
  void tunnelFaultFailsTunnelsNamingTheMissingPeer() throws Exception {
    // node2 loses what sends to node3 (a route, or SDN's HostSubnet flows): the tunnel port is
    // fine, but no flow sends to node3 any more; DNS from node2 may pick the backend on node3 and
    // really die, and node3's query to node2's backend loses its reply the same way (true views;
    // node1's DNS must stay clean)
    m.mayAlsoFailOn = Map.of("node3", Set.of("dns"));
    try {
      m.faultCase(
          Fault.TUNNEL,
          Map.of("node2", Set.of("tunnels")),
          Set.of("dns"),
          "tun_dst=" + m.ip("node3"));
    } finally {
      m.mayAlsoFailOn = Map.of();
    }
  }

  @Test
  void portOffTheBridgeFailsPodPlumbingNamingThePod() throws Exception {
    m.faultCase(
        Fault.PORT_OFF_BRIDGE,
        Map.of("node2", Set.of("pod-plumbing")),
        Set.of(),
        "pod " + m.lastPod("node2"));
  }

  @Test
  void interfaceFaultFailsOvsAndPodPlumbingNamingThePod() throws Exception {
    // the host veth of node2's last pod is gone: OVS reports "No such device" on its port, and
    // the pod is named from the port's external_ids (Antrea) or the IP its flows hold (SDN)
    MatrixCases.interfaceNamesPodCase(m);
  }

  @Test
  void nicDownFailsNicNamingTheUnderlayNic() throws Exception {
    // no ovn-encap-ip: the underlay is the device of the route to the tunnel peers
    MatrixCases.nicDownCase(m);
  }

  @Test
  void anUnreachableRouteToALocalPodFailsRoutesAgainstTheGateway() throws Exception {
    // the DNS replies to that pod, routed by node2's kernel (kube-proxy), die too
    MatrixCases.podRouteCase(m, gateway(), Set.of("dns"));
  }
}
