package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.testkit.Fault;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * RunChecks on {@code --mode kube-ovn} (real OVN with Kube-OVN's names: ovn0 on the join switch,
 * pods on one ovn-default switch with iface-id {@code <pod>.<ns>}, per-peer Geneve ports on the
 * IPv4 underlay), every sweep knob of hack/sandbox in the sandbox's family (the subclass's
 * {@code @SandboxConfig}, 3 nodes). Kube-OVN programs each Service once, on the cluster load
 * balancers of ovn-default and join: a Service fault is seen from every node.
 */
abstract class KubeOvnMatrix extends FamilyMatrix {
  static final Map<String, Set<String>> EVERY_NODE_SERVICES =
      Map.of(
          "node1", Set.of("service-programming"),
          "node2", Set.of("service-programming"),
          "node3", Set.of("service-programming"));

  @Test
  void healthySweepHasNoErrorAndNoFalseFail() throws Exception {
    m.awaitHealthy();
    Map<String, Map<String, CheckResult>> s = m.sweep();
    m.assertHealthy(s);
    assertThat(CheckMatrix.result(s, "node1", "tunnels").getEvidenceList().toString())
        .as(CheckMatrix.describe(s))
        .contains(m.ip("node2"))
        .contains(m.ip("node3"));
    assertThat(CheckMatrix.result(s, "node2", "pod-plumbing").getSummary())
        .as(CheckMatrix.describe(s))
        .contains("every expected pod plumbed");
    assertThat(CheckMatrix.result(s, "node2", "dns").getStatus())
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
    assertThat(CheckMatrix.result(s, "node2", "service-programming").getEvidenceList().toString())
        .as(CheckMatrix.describe(s))
        .contains(sandbox.serviceIp(family()));
  }

  @Test
  void mtuFaultFailsMtuOnThatNodeOnly() throws Exception {
    m.faultCase(Fault.MTU, Map.of("node2", Set.of("mtu")), Set.of(), "1500");
  }

  @Test
  void forwardingOffFailsIpForwardWhileEgressThroughOvn0Dies() throws Exception {
    // pod egress leaves through the node's ovn0 and kernel (Kube-OVN's distributed gateway)
    forwardingCase(Set.of());
  }

  @Test
  void tunnelFaultFailsTunnelsOnBothEnds() throws Exception {
    // disjoint transport zones: ovn-controller removes the Geneve port on both ends
    m.faultCase(
        Fault.TUNNEL,
        Map.of("node2", Set.of("tunnels"), "node3", Set.of("tunnels")),
        Set.of("dns"),
        "remote_ip");
  }

  @Test
  void portOffTheBridgeAndPodInterfaceGoneFailPodPlumbingNamingThePod() throws Exception {
    String pod = "pod " + m.lastPod("node2");
    m.faultCase(Fault.PORT_OFF_BRIDGE, Map.of("node2", Set.of("pod-plumbing")), Set.of(), pod);
    // the pod's eth0 goes, its host veth with it; OVS may notice (ovs FAIL) or not yet
    m.faultCase(Fault.POD_IFACE_GONE, Map.of("node2", Set.of("pod-plumbing")), Set.of("ovs"), pod);
  }

  @Test
  void interfaceFaultFailsOvsAndPodPlumbingNamingThePod() throws Exception {
    // the host veth of node2's last pod is gone: OVS reports "No such device" on a port whose pod
    // the profile's external_ids name; the pod has no port
    MatrixCases.interfaceNamesPodCase(m);
  }

  @Test
  void nicDownFailsNicNamingTheUnderlayNic() throws Exception {
    // no ovn-encap-ip: the underlay is the device of the route to the tunnel peers
    MatrixCases.nicDownCase(m);
  }

  @Test
  void anUnreachableRouteToALocalPodFailsRoutesAgainstOvn0() throws Exception {
    MatrixCases.podRouteCase(m, "ovn0", Set.of("dns"));
  }

  @Test
  void conntrackAdmittingNothingFailsConntrack() throws Exception {
    m.faultCase(
        Fault.CONNTRACK_FULL, Map.of("node2", Set.of("conntrack")), Set.of("dns"), "maxconns 0");
  }

  @Test
  void leftoverVethWarnsAndEth0DownFailsPodPlumbing() throws Exception {
    MatrixCases.leftoverVethCase(m);
    MatrixCases.eth0DownCase(m);
  }

  @Test
  void dnsAnsweringGarbageFailsDnsEverywhere() throws Exception {
    m.faultCase(
        Fault.DNS_GARBAGE,
        Map.of("node1", Set.of("dns"), "node2", Set.of("dns"), "node3", Set.of("dns")),
        Set.of(),
        "not a valid DNS response");
  }

  @Test
  void clusterLoadBalancerRemovedFailsServiceProgrammingOnEveryNode() throws Exception {
    m.faultCase(
        Fault.LB_REMOVED,
        null,
        EVERY_NODE_SERVICES,
        Set.of(),
        "tcp " + (family() == 6 ? "[" + sandbox.serviceIp(6) + "]" : sandbox.serviceIp(4)) + ":80",
        () ->
            assertThat(reaches("node1", "svc/default/web", 80))
                .as("TCP to the VIP from node1's pod")
                .isFalse());
  }

  @Test
  void staleBackendOnTheClusterLoadBalancerFailsServiceProgrammingOnEveryNode() throws Exception {
    m.faultCase(Fault.STALE_BACKEND, EVERY_NODE_SERVICES, Set.of(), staleBackend(2));
  }
}
