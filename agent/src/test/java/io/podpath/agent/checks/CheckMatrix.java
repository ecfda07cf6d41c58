package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.ClusterContext;
import io.podpath.proto.v1.LocalPod;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The checks' fault matrix on a REAL sandbox (any mode): one real agent runtime per node in this
 * JVM, reading its node through the host netns, called through its gRPC edge; each fault made real
 * by hack/sandbox break, the sweep compared with what must and must not fail.
 */
final class CheckMatrix implements AutoCloseable {
  final Sandbox sandbox;
  final Map<String, AgentRuntime> agents = new LinkedHashMap<>();
  final Map<String, AgentCalls> handlers = new LinkedHashMap<>();
  Map<String, Map<String, CheckResult>> lastFault = Map.of();

  /** While hack/sandbox nodeport is on: the contexts carry the NodePorts the manifest has. */
  boolean nodePorts;

  /** Applied to every node's context before a sweep (a mode without Services drops them). */
  UnaryOperator<ClusterContext> adjust = c -> c;

  /** A peer's encap IP as the aggregator sends it (the IPv6 one over {@code --underlay ipv6}). */
  Function<Node, String> encap = Node::ip;

  /** Checks a fault may fail on every node, as a real consequence (not naming the object). */
  Set<String> mayFailAnywhere = Set.of();

  /**
   * Checks a fault may fail on one other node as a real consequence: a tunnel lost one way kills
   * the replies of the peer's queries too.
   */
  Map<String, Set<String>> mayAlsoFailOn = Map.of();

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

  CheckMatrix(Sandbox s) throws Exception {
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

  @Override
  public void close() {
    handlers.values().forEach(h -> h.channel().shutdownNow());
    agents.values().forEach(AgentRuntime::close);
  }

  /** What the aggregator tells a node: peers, the Service, its pods, the DNS IP. */
  ClusterContext context(String node) {
    ClusterContext.Builder b = ClusterContext.newBuilder();
    sandbox.nodes().stream()
        .filter(n -> !n.name().equals(node))
        .forEach(
            n -> b.addPeers(PeerNode.newBuilder().setName(n.name()).setEncapIp(encap.apply(n))));
    ServiceInfo.Builder web =
        ServiceInfo.newBuilder()
            .setService(ServiceRef.newBuilder().setNamespace("default").setName("web"))
            .addClusterIps(sandbox.serviceIp())
            .addPorts(
                ServicePort.newBuilder()
                    .setProtocol(Protocol.PROTOCOL_TCP)
                    .setPort(80)
                    .setNodePort(nodePorts ? Sandbox.NODEPORT_TCP : 0))
            .addPorts(
                ServicePort.newBuilder()
                    .setProtocol(Protocol.PROTOCOL_UDP)
                    .setPort(53)
                    .setNodePort(nodePorts ? Sandbox.NODEPORT_UDP : 0))
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

  Map<String, Map<String, CheckResult>> sweep() {
    Map<String, Map<String, CheckResult>> out = new LinkedHashMap<>();
    handlers.forEach(
        (node, h) -> {
          CheckReport r =
              h.run(
                  RunChecksRequest.newBuilder().setContext(adjust.apply(context(node))).build(),
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

  /** Every result {@code node} gave in sweep {@code s}; fails when the node is not in it. */
  static Map<String, CheckResult> results(Map<String, Map<String, CheckResult>> s, String node) {
    Map<String, CheckResult> byId = s.get(node);
    if (byId == null) {
      throw new AssertionError("no results from " + node + " in the sweep: " + s.keySet());
    }
    return byId;
  }

  /** The calls to {@code node}'s agent. */
  AgentCalls calls(String node) {
    return Objects.requireNonNull(handlers.get(node), () -> "no agent started for " + node);
  }

  /** {@code node}'s agent. */
  AgentRuntime agent(String node) {
    return Objects.requireNonNull(agents.get(node), () -> "no agent started for " + node);
  }

  /** {@code check}'s result on {@code node} in sweep {@code s}; fails naming what is missing. */
  static CheckResult result(Map<String, Map<String, CheckResult>> s, String node, String check) {
    Map<String, CheckResult> byId = results(s, node);
    CheckResult c = byId.get(check);
    if (c == null) {
      throw new AssertionError(node + " reported no " + check + " check: " + byId.keySet());
    }
    return c;
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

  void assertHealthy(Map<String, Map<String, CheckResult>> s) {
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
  void awaitHealthy() throws InterruptedException {
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
  void assertOnlyFails(
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
                      } else if (!(expected.containsKey(node) && mayAlsoFail.contains(c.getId()))
                          && !mayFailAnywhere.contains(c.getId())
                          && !mayAlsoFailOn.getOrDefault(node, Set.of()).contains(c.getId())) {
                        assertThat(c.getStatus())
                            .as(node + " " + c.getId() + " must not fail\n" + describe(s))
                            .isNotEqualTo(CheckStatus.CHECK_STATUS_FAIL);
                      }
                    }));
  }

  /**
   * No check of {@code node} says OK while naming the faulty object in its summary, and none says
   * the object (a pod the cluster puts here) is not on the node, in its summary or evidence.
   */
  void assertNoFalseOk(Map<String, Map<String, CheckResult>> s, String node, String object) {
    results(s, node)
        .values()
        .forEach(
            c ->
                assertThat(c.getSummary() + c.getEvidenceList())
                    .as(node + " " + c.getId() + " says " + object + " is elsewhere")
                    .doesNotContain(object + " is not on node"));
    results(s, node)
        .values()
        .forEach(
            c ->
                assertThat(
                        c.getStatus() == CheckStatus.CHECK_STATUS_OK
                            && c.getSummary().contains(object))
                    .as(node + " " + c.getId() + " claims " + object + " is fine\n" + describe(s))
                    .isFalse());
  }

  /** The pod the interface faults take: the node's last pod (hack/sandbox's client-I). */
  String lastPod(String node) {
    return sandbox.pods().stream()
        .filter(p -> p.node().equals(node) && p.name().startsWith("client-"))
        .map(p -> p.namespace() + "/" + p.name())
        .findFirst()
        .orElseThrow();
  }

  String ip(String node) {
    return sandbox.nodes().stream()
        .filter(n -> n.name().equals(node))
        .findFirst()
        .orElseThrow()
        .ip();
  }

  void faultCase(
      Fault fault, Map<String, Set<String>> expected, Set<String> mayAlsoFail, String named)
      throws Exception {
    faultCase(fault, null, expected, mayAlsoFail, named);
  }

  void faultCase(
      Fault fault,
      @Nullable String dst,
      Map<String, Set<String>> expected,
      Set<String> mayAlsoFail,
      String named)
      throws Exception {
    faultCase(fault, dst, expected, mayAlsoFail, named, () -> {});
  }

  /**
   * The fault on node2, narrowed to {@code dst} when not null (hack/sandbox --dst); {@code
   * whileBroken} runs after the sweep, before the fix (real probes of the fault).
   */
  void faultCase(
      Fault fault,
      @Nullable String dst,
      Map<String, Set<String>> expected,
      Set<String> mayAlsoFail,
      String named,
      Runnable whileBroken)
      throws Exception {
    awaitHealthy();
    if (dst == null) {
      sandbox.breakFault(fault, "node2");
    } else {
      sandbox.breakFault(fault, "node2", dst);
    }
    try {
      Map<String, Map<String, CheckResult>> s = sweep();
      lastFault = s;
      assertOnlyFails(s, expected, mayAlsoFail);
      for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
        for (String id : e.getValue()) {
          CheckResult c = result(s, e.getKey(), id);
          if (e.getKey().equals("node2") && id.equals(e.getValue().iterator().next())) {
            assertThat(c.getEvidenceList().toString() + c.getSummary())
                .as("the faulty object named\n" + describe(s))
                .contains(named);
          }
        }
        assertNoFalseOk(s, e.getKey(), named);
      }
      whileBroken.run();
    } finally {
      if (dst == null) {
        sandbox.fix(fault, "node2");
      } else {
        sandbox.fix(fault, "node2", dst);
      }
    }
    awaitHealthy();
  }
}
