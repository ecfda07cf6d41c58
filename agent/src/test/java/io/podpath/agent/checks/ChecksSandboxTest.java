package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.proto.mesh.PeerSets;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.ClusterContext;
import io.podpath.proto.v1.LocalPod;
import io.podpath.proto.v1.NodeSummary;
import io.podpath.proto.v1.PeerNode;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.ServiceBackend;
import io.podpath.proto.v1.ServiceInfo;
import io.podpath.proto.v1.ServicePort;
import io.podpath.proto.v1.ServiceRef;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Node;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The checks on a REAL 3-node OVN sandbox (prefix ck, index 5), each node read by a real agent
 * runtime in this JVM through its host netns, and each fault made real by hack/sandbox break.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(prefix = "ck", index = 5, apps = false)
class ChecksSandboxTest {
  static Sandbox sandbox;
  static final Map<String, AgentRuntime> agents = new LinkedHashMap<>();
  static final Map<String, AgentCalls> handlers = new LinkedHashMap<>();

  /** RunChecks and Probe through the runtime's real gRPC edge (plaintext loopback). */
  record AgentCalls(ManagedChannel channel) {
    AgentServiceGrpc.AgentServiceBlockingStub stub(Duration d) {
      return AgentServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    CheckReport run(RunChecksRequest r, Duration d) {
      return stub(d).runChecks(r);
    }

    ProbeResult probe(ProbeRequest r, Duration d) {
      return stub(d).probe(r);
    }
  }

  @BeforeAll
  static void start(Sandbox s) throws Exception {
    sandbox = s;
    for (Node n : s.nodes()) {
      AgentRuntime rt =
          AgentRuntime.start(
              AgentOptions.loopback(
                  n.name(), n.ovsRundir(), Optional.of(Path.of("/var/run/netns", n.netns())), 8));
      agents.put(n.name(), rt);
      handlers.put(
          n.name(),
          new AgentCalls(
              NettyChannelBuilder.forAddress("127.0.0.1", rt.grpcPort()).usePlaintext().build()));
    }
  }

  @AfterAll
  static void stop() {
    handlers.values().forEach(h -> h.channel().shutdownNow());
    agents.values().forEach(AgentRuntime::close);
  }

  /** What the aggregator tells a node: peers, the Service, its pods, the DNS IP. */
  static ClusterContext context(String node) {
    ClusterContext.Builder b = ClusterContext.newBuilder();
    sandbox.nodes().stream()
        .filter(n -> !n.name().equals(node))
        .forEach(n -> b.addPeers(PeerNode.newBuilder().setName(n.name()).setEncapIp(n.ip())));
    ServiceInfo.Builder web =
        ServiceInfo.newBuilder()
            .setService(ServiceRef.newBuilder().setNamespace("default").setName("web"))
            .addClusterIps(sandbox.serviceIp())
            .addPorts(ServicePort.newBuilder().setProtocol(Protocol.PROTOCOL_TCP).setPort(80))
            .addPorts(ServicePort.newBuilder().setProtocol(Protocol.PROTOCOL_UDP).setPort(53))
            .setReadyBackendsKnown(true);
    // the ready endpoints, as the aggregator reads them from the EndpointSlices: every web-i
    for (Pod p : sandbox.pods()) {
      if (p.name().startsWith("web-")) {
        web.addReadyBackends(backend(Protocol.PROTOCOL_TCP, 80, p.ip()))
            .addReadyBackends(backend(Protocol.PROTOCOL_UDP, 53, p.ip()));
      }
    }
    b.addServices(web);
    for (Pod p : sandbox.pods()) {
      if (p.node().equals(node)) {
        b.addLocalPods(LocalPod.newBuilder().setPod(ref(p)).addIps(p.ip()));
      }
    }
    // default/web answers UDP 53 at the conventional cluster DNS address
    return b.setDnsServiceIp(sandbox.serviceIp()).build();
  }

  static ServiceBackend backend(Protocol protocol, int port, String ip) {
    return ServiceBackend.newBuilder()
        .setProtocol(protocol)
        .setServicePort(port)
        .setIp(ip)
        .setPort(port)
        .build();
  }

  static PodRef ref(Pod p) {
    return PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name()).build();
  }

  static Map<String, Map<String, CheckResult>> sweep() {
    Map<String, Map<String, CheckResult>> out = new LinkedHashMap<>();
    handlers.forEach(
        (node, h) -> {
          CheckReport r =
              h.run(
                  RunChecksRequest.newBuilder().setContext(context(node)).build(),
                  Duration.ofSeconds(30));
          out.put(
              node,
              r.getResultsList().stream()
                  .collect(
                      Collectors.toMap(
                          CheckResult::getId, c -> c, (a, b) -> a, LinkedHashMap::new)));
        });
    return out;
  }

  static String describe(Map<String, Map<String, CheckResult>> s) {
    StringBuilder b = new StringBuilder();
    s.forEach(
        (n, checks) ->
            checks
                .values()
                .forEach(
                    c ->
                        b.append(n)
                            .append(' ')
                            .append(c.getId())
                            .append(' ')
                            .append(c.getStatus())
                            .append(": ")
                            .append(c.getSummary())
                            .append(" | ")
                            .append(c.getEvidenceList())
                            .append('\n')));
    return b.toString();
  }

  static void assertHealthy(Map<String, Map<String, CheckResult>> s) {
    s.forEach(
        (node, checks) -> {
          assertThat(checks.keySet())
              .as(node)
              .containsExactlyElementsOf(Checks.standard().stream().map(Check::id).toList());
          checks
              .values()
              .forEach(
                  c -> {
                    assertThat(c.getStatus())
                        .as(node + " " + c.getId() + "\n" + describe(s))
                        .isIn(CheckStatus.CHECK_STATUS_OK, CheckStatus.CHECK_STATUS_NOT_APPLICABLE);
                    if (c.getStatus() == CheckStatus.CHECK_STATUS_NOT_APPLICABLE) {
                      assertThat(c.getSummary())
                          .as("a reason for " + node + " " + c.getId())
                          .isNotBlank();
                    }
                  });
        });
  }

  /** Sweeps until healthy: OVN re-converges in the background after a fix. */
  static void awaitHealthy() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      Map<String, Map<String, CheckResult>> s = sweep();
      try {
        assertHealthy(s);
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  /**
   * The FAILs in the sweep are exactly {@code expected} (node → checks), give or take the checks of
   * {@code mayAlsoFail} on those nodes (another true view of the same fault).
   */
  static void assertOnlyFails(
      Map<String, Map<String, CheckResult>> s,
      Map<String, Set<String>> expected,
      Set<String> mayAlsoFail) {
    s.forEach(
        (node, checks) ->
            checks
                .values()
                .forEach(
                    c -> {
                      Set<String> here = expected.getOrDefault(node, Set.of());
                      if (here.contains(c.getId())) {
                        assertThat(c.getStatus())
                            .as(node + " " + c.getId() + "\n" + describe(s))
                            .isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
                        assertThat(c.getEvidenceCount()).as("evidence").isPositive();
                        assertThat(c.getRemediation()).isNotBlank();
                      } else if (!(expected.containsKey(node) && mayAlsoFail.contains(c.getId()))) {
                        assertThat(c.getStatus())
                            .as(node + " " + c.getId() + " must not fail\n" + describe(s))
                            .isNotEqualTo(CheckStatus.CHECK_STATUS_FAIL);
                      }
                    }));
  }

  /** No check of {@code node} says OK while naming the faulty object in its summary. */
  static void assertNoFalseOk(Map<String, Map<String, CheckResult>> s, String node, String object) {
    s.get(node)
        .values()
        .forEach(
            c ->
                assertThat(
                        c.getStatus() == CheckStatus.CHECK_STATUS_OK
                            && c.getSummary().contains(object))
                    .as(node + " " + c.getId() + " claims " + object + " is fine\n" + describe(s))
                    .isFalse());
  }

  @Test
  void healthySandboxEveryCheckOkOrNotApplicable() throws Exception {
    awaitHealthy();
    Map<String, Map<String, CheckResult>> s = sweep();
    // the facts behind a few OKs, as the sandbox built them
    assertThat(s.get("node1").get("mtu").getSummary()).contains("1400").contains("58");
    assertThat(s.get("node1").get("tunnels").getSummary()).contains("2 peers");
    assertThat(s.get("node2").get("service-programming").getEvidenceList().toString())
        .contains(sandbox.serviceIp() + ":80")
        .contains(sandbox.serviceIp() + ":53");
    assertThat(s.get("node3").get("dns").getSummary()).contains("resolved");
  }

  @Test
  void conntrackIsReadInTheNodeNetnsNotAPods() throws Exception {
    CheckResult c = sweep().get("node2").get("conntrack");
    assertThat(c.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_OK);
    String max =
        sandbox.exec("node2", "cat", "/proc/sys/net/netfilter/nf_conntrack_max").stdout().trim();
    assertThat(c.getEvidenceList())
        .anySatisfy(
            e -> {
              assertThat(e.getSource()).isEqualTo("/proc/sys/net/netfilter/nf_conntrack_max");
              assertThat(e.getValue()).isEqualTo(max);
            });
    assertThat(c.getEvidenceList())
        .anySatisfy(e -> assertThat(e.getSource()).isEqualTo("/proc/net/stat/nf_conntrack"));
    // the bridges are netdev: the userspace datapath's own table is read too
    assertThat(c.getEvidenceList())
        .anySatisfy(e -> assertThat(e.getSource()).isEqualTo("ovs-appctl dpctl/ct-get-maxconns"));
  }

  @Test
  void mtuFaultFailsMtuOnThatNodeOnly() throws Exception {
    faultCase(Fault.MTU, Map.of("node2", Set.of("mtu")), Set.of(), "1500");
  }

  @Test
  void ipForwardFaultFailsIpForwardOnThatNodeOnly() throws Exception {
    faultCase(
        Fault.IP_FORWARD,
        Map.of("node2", Set.of("ip-forward")),
        Set.of(),
        "/proc/sys/net/ipv4/ip_forward");
    // OVN switches the sandbox's pods: the FAIL says pod-to-pod keeps working, not that the node
    // forwards no pod traffic.
    assertThat(lastFault.get("node2").get("ip-forward").getSummary())
        .contains("pod-to-pod traffic through OVS and its tunnels keeps working")
        .contains("egress");
  }

  @Test
  void tunnelFaultFailsTunnelsOnBothEndsOnly() throws Exception {
    // hack/sandbox puts node2 and its peer node3 in disjoint OVN transport zones: ovn-controller
    // removes the Geneve port on BOTH ends, so both nodes truly lack a tunnel to the other.
    faultCase(
        Fault.TUNNEL,
        Map.of("node2", Set.of("tunnels"), "node3", Set.of("tunnels")),
        Set.of(),
        "remote_ip");
  }

  @Test
  void interfaceFaultFailsOvsOnThatNodeOnly() throws Exception {
    // hack/sandbox deletes the host veth of one of node2's pods: OVS reports "No such device",
    // and the pod has no working port
    faultCase(
        Fault.INTERFACE,
        Map.of("node2", Set.of("ovs", "pod-plumbing")),
        Set.of(),
        "No such device");
    assertThat(lastFault.get("node2").get("pod-plumbing").getSummary())
        .contains("pod " + lastPod("node2"));
  }

  /** The pod the interface faults take: the node's last pod (hack/sandbox's client-I). */
  static String lastPod(String node) {
    return sandbox.pods().stream()
        .filter(p -> p.node().equals(node) && p.name().startsWith("client-"))
        .map(p -> p.namespace() + "/" + p.name())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void loadBalancerRemovedFromOneNodeFailsServiceProgrammingThere() throws Exception {
    faultCase(
        Fault.LB_REMOVED,
        Map.of("node2", Set.of("service-programming")),
        Set.of(),
        "tcp " + sandbox.serviceIp() + ":80");
  }

  @Test
  void staleBackendFailsServiceProgrammingNamingIt() throws Exception {
    faultCase(
        Fault.STALE_BACKEND,
        Map.of("node2", Set.of("service-programming")),
        Set.of(),
        "10.244.2.99:80");
  }

  @Test
  void dnsAnsweringGarbageFailsDnsEverywhere() throws Exception {
    faultCase(
        Fault.DNS_GARBAGE,
        Map.of("node1", Set.of("dns"), "node2", Set.of("dns"), "node3", Set.of("dns")),
        Set.of(),
        "not a valid DNS response");
  }

  @Test
  void podInterfaceDeletedFailsPodPlumbingNamingThePod() throws Exception {
    // the pod's eth0 goes, its host veth with it; OVS may notice (ovs FAIL) or not yet
    faultCase(
        Fault.POD_IFACE_GONE,
        Map.of("node2", Set.of("pod-plumbing")),
        Set.of("ovs"),
        "pod " + lastPod("node2"));
    assertThat(lastFault.get("node2").get("pod-plumbing").getSummary())
        .contains("pod " + lastPod("node2"));
  }

  @Test
  void leftoverVethIsReportedByPodPlumbing() throws Exception {
    awaitHealthy();
    sandbox.breakFault(Fault.LEFTOVER_VETH, "node2");
    try {
      Map<String, Map<String, CheckResult>> s = sweep();
      assertOnlyFails(s, Map.of(), Set.of());
      CheckResult c = s.get("node2").get("pod-plumbing");
      assertThat(c.getStatus()).as(describe(s)).isEqualTo(CheckStatus.CHECK_STATUS_WARN);
      assertThat(c.getSummary()).contains("host veths that belong to no pod port");
      assertThat(s.get("node1").get("pod-plumbing").getStatus())
          .isEqualTo(CheckStatus.CHECK_STATUS_OK);
    } finally {
      sandbox.fix(Fault.LEFTOVER_VETH, "node2");
    }
    awaitHealthy();
  }

  /** What a sweep sends since the peer-set digest: no peer list, and a summary asked for. */
  static RunChecksRequest digestRequest(String node) {
    String self =
        sandbox.nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow().ip();
    ClusterContext c =
        context(node).toBuilder()
            .clearPeers()
            .setPeerSet(
                PeerSets.expected(sandbox.nodes().stream().map(Node::ip).toList()).forNode(self))
            .build();
    return RunChecksRequest.newBuilder()
        .addCheckIds("tunnels")
        .setContext(c)
        .setIncludeSummary(true)
        .build();
  }

  static String ip(String node) {
    return sandbox.nodes().stream()
        .filter(n -> n.name().equals(node))
        .findFirst()
        .orElseThrow()
        .ip();
  }

  @Test
  void tunnelsAgainstThePeerSetDigestAndTheNodeSummaryForTheSweep() throws Exception {
    awaitHealthy();
    CheckReport ok = handlers.get("node2").run(digestRequest("node2"), Duration.ofSeconds(30));
    assertThat(ok.getResults(0).getStatus())
        .as(ok.toString())
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
    assertThat(ok.getResults(0).getSummary()).contains("2 peers");
    NodeSummary s = ok.getSummary();
    assertThat(s.getTunnelsMatchPeerSet()).as(s.toString()).isTrue();
    assertThat(s.getTunnelRemoteIpsList()).as("a healthy node sends no remote list").isEmpty();
    assertThat(s.getWorkingTunnels()).isEqualTo(2);
    assertThat(s.getEncapIp()).isEqualTo(ip("node2"));
    assertThat(s.getPodMtu()).isEqualTo(1400);
    assertThat(s.getUnderlayMtu()).isGreaterThanOrEqualTo(1400 + 58);
    sandbox.breakFault(Fault.TUNNEL, "node2");
    try {
      CheckReport bad = handlers.get("node2").run(digestRequest("node2"), Duration.ofSeconds(30));
      CheckResult t = bad.getResults(0);
      assertThat(t.getStatus()).as(bad.toString()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
      assertThat(t.getSummary()).contains("do not match the cluster's 2 peers");
      assertThat(t.getEvidenceList().toString()).contains("remote_ip").contains(ip("node1"));
      assertThat(bad.getSummary().getTunnelsMatchPeerSet()).isFalse();
      // what the aggregator names node2→node3 from
      assertThat(bad.getSummary().getTunnelRemoteIpsList()).containsExactly(ip("node1"));
    } finally {
      sandbox.fix(Fault.TUNNEL, "node2");
    }
    awaitHealthy();
  }

  static Map<String, Map<String, CheckResult>> lastFault = Map.of();

  private static void faultCase(
      Fault fault, Map<String, Set<String>> expected, Set<String> mayAlsoFail, String named)
      throws Exception {
    awaitHealthy();
    sandbox.breakFault(fault, "node2");
    try {
      Map<String, Map<String, CheckResult>> s = sweep();
      lastFault = s;
      assertOnlyFails(s, expected, mayAlsoFail);
      for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
        for (String id : e.getValue()) {
          CheckResult c = s.get(e.getKey()).get(id);
          if (e.getKey().equals("node2") && id.equals(expected.get("node2").iterator().next())) {
            assertThat(c.getEvidenceList().toString() + c.getSummary())
                .as("the faulty object named\n" + describe(s))
                .contains(named);
          }
        }
        assertNoFalseOk(s, e.getKey(), named);
      }
    } finally {
      sandbox.fix(fault, "node2");
    }
    awaitHealthy();
  }

  @Test
  void dfProbeOfTheLargestPodPacketPassesAt1400AndFailsAt1500() throws Exception {
    awaitHealthy();
    Pod src =
        sandbox.pods().stream().filter(p -> p.node().equals("node1")).findFirst().orElseThrow();
    Pod dst =
        sandbox.pods().stream().filter(p -> p.node().equals("node2")).findFirst().orElseThrow();
    AgentCalls h = handlers.get("node1");
    assertThat(ping(h, src, dst, 1400 - 28).getDelivered())
        .as("pod MTU 1400: 1372 + 28 + 58 fits")
        .isTrue();
    sandbox.breakFault(Fault.MTU, "node1");
    try {
      ProbeResult big = ping(h, src, dst, 1500 - 28);
      assertThat(big.getDelivered())
          .as("pod MTU 1500 over a 1500 underlay: " + big.getDetail())
          .isFalse();
      assertThat(ping(h, src, dst, 56).getDelivered()).as("small packets still pass").isTrue();
    } finally {
      sandbox.fix(Fault.MTU, "node1");
    }
  }

  static ProbeResult ping(AgentCalls h, Pod src, Pod dst, int size) {
    return h.probe(
        ProbeRequest.newBuilder()
            .setSource(ref(src))
            .setDestinationIp(dst.ip())
            .setProtocol(Protocol.PROTOCOL_ICMP)
            .setSize(size)
            .setDontFragment(true)
            .setTimeoutMillis(1500)
            .build(),
        Duration.ofSeconds(10));
  }

  @Test
  void tcpAndUdpProbesFromAPodNetns() {
    Pod src =
        sandbox.pods().stream().filter(p -> p.node().equals("node1")).findFirst().orElseThrow();
    Pod dst =
        sandbox.pods().stream().filter(p -> p.node().equals("node3")).findFirst().orElseThrow();
    AgentCalls h = handlers.get("node1");
    ProbeResult tcp =
        h.probe(
            ProbeRequest.newBuilder()
                .setSource(ref(src))
                .setDestinationIp(dst.ip())
                .setProtocol(Protocol.PROTOCOL_TCP)
                .setDstPort(80)
                .setTimeoutMillis(2000)
                .build(),
            Duration.ofSeconds(10));
    assertThat(tcp.getDelivered()).as(tcp.getDetail()).isTrue();
    ProbeResult udp =
        h.probe(
            ProbeRequest.newBuilder()
                .setSource(ref(src))
                .setDestinationIp(dst.ip())
                .setProtocol(Protocol.PROTOCOL_UDP)
                .setDstPort(53)
                .setTimeoutMillis(2000)
                .build(),
            Duration.ofSeconds(10));
    assertThat(udp.getDelivered()).as(udp.getDetail()).isTrue();
  }
}
