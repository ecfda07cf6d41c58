package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

/** Fault cases of the checks' matrix shared by more than one mode, over a {@link CheckMatrix}. */
final class MatrixCases {
  private MatrixCases() {}

  /**
   * NodePorts on (hack/m.sandbox nodeport on): the healthy sweep shows them programmed on every
   * node and real packets from the external host get through; with node2's TCP NodePort rule
   * removed, service-programming FAILs there naming it, the packets through node2 really die and
   * node1's still pass. {@code proxy}: the Service proxy the fix line must name.
   */
  static void nodePortCase(CheckMatrix m, String proxy) throws Exception {
    String named = "NodePort tcp/" + Sandbox.NODEPORT_TCP;
    m.sandbox.nodePort(true);
    m.nodePorts = true;
    try {
      m.awaitHealthy();
      Map<String, Map<String, CheckResult>> s = m.sweep();
      for (String node : s.keySet()) {
        CheckResult c = CheckMatrix.result(s, node, "service-programming");
        assertThat(c.getSummary()).as(CheckMatrix.describe(s)).contains("NodePorts in");
        assertThat(c.getEvidenceList().toString())
            .as(CheckMatrix.describe(s))
            .contains(named + " (default/web) backends in")
            .contains("NodePort udp/" + Sandbox.NODEPORT_UDP + " (default/web) backends in");
        assertThat(m.sandbox.probe("ext", node, Probe.tcp(Sandbox.NODEPORT_TCP)).delivered())
            .as("ext -> %s:%d", node, Sandbox.NODEPORT_TCP)
            .isTrue();
      }
      m.faultCase(
          Fault.NODEPORT_REMOVED,
          null,
          Map.of("node2", Set.of("service-programming")),
          Set.of(),
          named,
          () -> {
            assertThat(m.sandbox.probe("ext", "node2", Probe.tcp(Sandbox.NODEPORT_TCP)).delivered())
                .as("the packets agree: ext -> node2:%d dies", Sandbox.NODEPORT_TCP)
                .isFalse();
            assertThat(m.sandbox.probe("ext", "node1", Probe.tcp(Sandbox.NODEPORT_TCP)).delivered())
                .as("ext -> node1:%d still passes", Sandbox.NODEPORT_TCP)
                .isTrue();
          });
      CheckResult c = CheckMatrix.result(m.lastFault, "node2", "service-programming");
      assertThat(c.getSummary()).contains("not programmed on node2");
      assertThat(c.getRemediation()).startsWith(proxy + " on node2 has not programmed");
    } finally {
      m.nodePorts = false;
      m.sandbox.nodePort(false);
    }
    m.awaitHealthy();
  }

  /**
   * A host veth pair left on node2 (in no pod, on no bridge): pod-plumbing WARNs naming it there,
   * nothing FAILs, node1 stays OK.
   */
  static void leftoverVethCase(CheckMatrix m) throws Exception {
    m.awaitHealthy();
    m.sandbox.breakFault(Fault.LEFTOVER_VETH, "node2");
    try {
      Map<String, Map<String, CheckResult>> s = m.sweep();
      m.assertOnlyFails(s, Map.of(), Set.of());
      CheckResult c = CheckMatrix.result(s, "node2", "pod-plumbing");
      assertThat(c.getStatus())
          .as(CheckMatrix.describe(s))
          .isEqualTo(CheckStatus.CHECK_STATUS_WARN);
      assertThat(c.getSummary()).contains("host veths that belong to no pod port");
      assertThat(CheckMatrix.result(s, "node1", "pod-plumbing").getStatus())
          .isEqualTo(CheckStatus.CHECK_STATUS_OK);
    } finally {
      m.sandbox.fix(Fault.LEFTOVER_VETH, "node2");
    }
    m.awaitHealthy();
  }

  /**
   * eth0 set down inside node2's web pod: pod-plumbing FAILs naming the pod (its eth0, and its host
   * veth that lost the carrier). The pod is a DNS backend: queries that land on it really die, on
   * any node (a true second view).
   */
  static void eth0DownCase(CheckMatrix m) throws Exception {
    String pod =
        m.sandbox.pods().stream()
            .filter(p -> p.node().equals("node2") && p.name().startsWith("web-"))
            .map(p -> p.namespace() + "/" + p.name())
            .findFirst()
            .orElseThrow();
    Set<String> before = m.mayFailAnywhere;
    m.mayFailAnywhere = Set.of("dns");
    try {
      m.faultCase(Fault.ETH0_DOWN, Map.of("node2", Set.of("pod-plumbing")), Set.of(), "pod " + pod);
    } finally {
      m.mayFailAnywhere = before;
    }
    CheckResult c = CheckMatrix.result(m.lastFault, "node2", "pod-plumbing");
    assertThat(c.getSummary()).contains("pod " + pod + ": eth0 is DOWN");
    assertThat(c.getRemediation()).contains("ip link set eth0 up");
  }

  /** The node agent's podpath_check_pod_netns_lookups_total, scraped from its /metrics. */
  static double netnsLookups(CheckMatrix m, String node) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + m.agent(node).httpPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return body.lines()
        .filter(l -> l.startsWith("podpath_check_pod_netns_lookups_total "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no podpath_check_pod_netns_lookups_total"));
  }

  /**
   * nic-down on node2 (its underlay eth0 under br-phy loses its carrier): nic FAILs there naming
   * eth0, found without ovn-encap-ip through the route to the tunnel peers; node2's tunnels and the
   * DNS queries that land on node2's backends really die too (true views).
   */
  static void nicDownCase(CheckMatrix m) throws Exception {
    m.mayFailAnywhere = Set.of("dns");
    try {
      m.faultCase(
          Fault.NIC_DOWN, Map.of("node2", Set.of("nic")), Set.of("tunnels"), "underlay NIC eth0");
    } finally {
      m.mayFailAnywhere = Set.of();
    }
    assertThat(CheckMatrix.result(m.lastFault, "node2", "nic").getSummary())
        .contains("underlay NIC eth0: no link detected (no carrier)");
  }

  /**
   * An unreachable host route to node2's last pod: routes FAILs there naming the pod and the route,
   * compared with the CNI's host gateway port {@code gateway}; {@code mayAlsoFail}: checks of node2
   * that see the same fault truly (the pod's DNS replies the node kernel routes to it).
   */
  static void podRouteCase(CheckMatrix m, String gateway, Set<String> mayAlsoFail)
      throws Exception {
    Pod p =
        m.sandbox.pods().stream()
            .filter(x -> x.node().equals("node2") && x.name().startsWith("client-"))
            .findFirst()
            .orElseThrow();
    m.faultCase(Fault.ROUTE, p.ip(), Map.of("node2", Set.of("routes")), mayAlsoFail, p.ip());
    CheckResult c = CheckMatrix.result(m.lastFault, "node2", "routes");
    assertThat(c.getSummary())
        .as(CheckMatrix.describe(m.lastFault))
        .contains(p.namespace() + "/" + p.name());
    assertThat(c.getRemediation())
        .as(CheckMatrix.describe(m.lastFault))
        .contains("ip route del unreachable " + p.ip() + ")")
        .contains("overrides the pod subnet's")
        .contains("dev " + gateway + "'");
    assertThat(c.getEvidenceList().toString()).contains(gateway);
  }

  /**
   * interface on node2 (its last pod's host veth deleted): ovs names the broken port by its pod,
   * read the CNI's way, and tells to recreate the pod, not to delete the port.
   */
  static void interfaceNamesPodCase(CheckMatrix m) throws Exception {
    m.faultCase(
        Fault.INTERFACE,
        Map.of("node2", Set.of("ovs", "pod-plumbing")),
        Set.of(),
        "No such device");
    CheckResult ovs = CheckMatrix.result(m.lastFault, "node2", "ovs");
    assertThat(ovs.getSummary())
        .as(CheckMatrix.describe(m.lastFault))
        .contains("(port of pod " + m.lastPod("node2") + ")");
    assertThat(ovs.getRemediation()).contains("delete the pod").doesNotContain("del-port");
    assertThat(CheckMatrix.result(m.lastFault, "node2", "pod-plumbing").getSummary())
        .contains("pod " + m.lastPod("node2"));
  }
}
