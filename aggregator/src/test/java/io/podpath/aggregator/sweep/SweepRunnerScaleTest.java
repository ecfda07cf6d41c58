package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.api.SweepProtos;
import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.proto.mesh.PeerSets;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.Evidence;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.NodeSummary;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.SweepResult;
import io.podpath.proto.v1.TunnelPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The sweep over many nodes against agents that answer asynchronously after a delay, as the fleet
 * simulator and real agents do: bounded calls in flight, no thread per call, requests and kept
 * state O(1) per node, probes overlapped, missing tunnels named from the nodes' summaries, and
 * older agents (no summary) served by a GetNode for that node only.
 */
class SweepRunnerScaleTest {
  static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(2);

  @AfterAll
  static void stop() {
    TIMER.shutdownNow();
  }

  static String name(int i) {
    return String.format("n%04d", i);
  }

  static String ip(int i) {
    return "10.1." + (i >> 8) + "." + (i & 0xff);
  }

  static Inventory inventory(int n) {
    List<NodeInfo> nodes = new ArrayList<>();
    List<PodInfo> pods = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      nodes.add(new NodeInfo(name(i), ip(i), ip(i), List.of()));
      pods.add(
          new PodInfo(
              new ObjectRef("default", "web-" + i),
              name(i),
              List.of("10.244." + (i >> 8) + "." + (i & 0xff)),
              ip(i),
              Map.of("app", "web"),
              "Running",
              true,
              false));
    }
    ClusterIndex index = new ClusterIndex(pods, List.of(), List.of(), nodes, List.of());
    return new SnapshotInventory(index, "test");
  }

  /**
   * Node i has a tunnel to every other node except the pairs in {@code missing}; {@code podMtu} per
   * node (default 1400); nodes in {@code old} send no summary (an older agent).
   */
  static final class Fleet implements AgentClient {
    final int n;
    final Map<String, Set<String>> missing = new ConcurrentHashMap<>();
    final Map<String, Integer> podMtu = new ConcurrentHashMap<>();
    final Set<String> old = ConcurrentHashMap.newKeySet();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger getNodes = new AtomicInteger();
    final AtomicInteger probes = new AtomicInteger();
    final AtomicInteger maxRequestBytes = new AtomicInteger();
    final Set<String> getNodeFor = ConcurrentHashMap.newKeySet();

    Fleet(int n) {
      this.n = n;
    }

    private PeerSets.@Nullable Expected fullMesh;

    synchronized PeerSets.Expected fullMesh() {
      if (fullMesh == null) {
        List<String> all = new ArrayList<>();
        for (int j = 1; j <= n; j++) {
          all.add(ip(j));
        }
        fullMesh = PeerSets.expected(all);
      }
      return fullMesh;
    }

    List<String> remotes(String node) {
      List<String> out = new ArrayList<>();
      for (int j = 1; j <= n; j++) {
        if (!name(j).equals(node) && !missing.getOrDefault(node, Set.of()).contains(name(j))) {
          out.add(ip(j));
        }
      }
      return out;
    }

    <T> CompletableFuture<T> later(long millis, Supplier<T> answer) {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      CompletableFuture<T> f = new CompletableFuture<>();
      var unused =
          TIMER.schedule(
              () -> {
                inFlight.decrementAndGet();
                f.complete(answer.get());
              },
              millis,
              TimeUnit.MILLISECONDS);
      return f;
    }

    @Override
    public CompletableFuture<CheckReport> runChecksAsync(
        String node, RunChecksRequest request, Duration deadline) {
      maxRequestBytes.accumulateAndGet(request.getSerializedSize(), Math::max);
      return later(
          20,
          () -> {
            CheckReport.Builder r =
                CheckReport.newBuilder()
                    .setNode(node)
                    .addResults(
                        CheckResult.newBuilder()
                            .setId("tunnels")
                            .setStatus(
                                missing.containsKey(node)
                                    ? CheckStatus.CHECK_STATUS_FAIL
                                    : CheckStatus.CHECK_STATUS_OK)
                            .setSummary("as the agent says")
                            .addEvidence(
                                Evidence.newBuilder().setSource("cmd").setValue("x".repeat(5000))));
            if (!old.contains(node) && request.getIncludeSummary()) {
              // a full mesh matches without hashing N IPs per node here (each real agent hashes
              // its own); the others compare for real
              boolean full = !missing.containsKey(node);
              List<String> remotes = full ? List.of() : remotes(node);
              boolean match =
                  full
                      ? request.getContext().getPeerSet().getSha256().equals(fullMesh().sha256())
                      : PeerSets.matches(request.getContext().getPeerSet(), remotes);
              NodeSummary.Builder s =
                  NodeSummary.newBuilder()
                      .setPodMtu(podMtu.getOrDefault(node, 1400))
                      .setUnderlayMtu(1500)
                      .setTunnelPodMtu(1442)
                      .setWorkingTunnels(full ? n - 1 : remotes.size())
                      .setTunnelsMatchPeerSet(match);
              if (!match) {
                s.addAllTunnelRemoteIps(remotes);
              }
              r.setSummary(s);
            }
            return r.build();
          });
    }

    @Override
    public CompletableFuture<io.podpath.proto.v1.NodeInfo> getNodeAsync(
        String node, Duration deadline) {
      getNodes.incrementAndGet();
      getNodeFor.add(node);
      return later(5, () -> getNode(node));
    }

    @Override
    public CompletableFuture<ProbeResult> probeAsync(
        String node, ProbeRequest request, Duration deadline) {
      probes.incrementAndGet();
      boolean lost = request.getSize() + 28 + 58 > 1500;
      return later(5, () -> ProbeResult.newBuilder().setDelivered(!lost).setDetail("1 ms").build());
    }

    @Override
    public io.podpath.proto.v1.NodeInfo getNode(String node) {
      io.podpath.proto.v1.NodeInfo.Builder b =
          io.podpath.proto.v1.NodeInfo.newBuilder()
              .setNodeName(node)
              .setPodMtu(podMtu.getOrDefault(node, 1400))
              .setUnderlayMtu(1500);
      remotes(node).forEach(r -> b.addTunnels(TunnelPort.newBuilder().setRemoteIp(r).setOfport(3)));
      return b.build();
    }

    @Override
    public PodInspection inspectPod(String node, InspectPodRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public NodeAnswer traceNode(String node, NodeQuery query, CallScope scope) {
      throw new UnsupportedOperationException();
    }
  }

  static SweepResult sweep(int n, Fleet fleet, int concurrency) {
    try (SweepRunner r =
        new SweepRunner(
            inventory(n),
            fleet,
            new ClusterContexts(ClusterContexts.DEFAULT_DNS_SERVICES),
            concurrency,
            Duration.ofSeconds(5))) {
      return SweepProtos.result(r.run(List.of(), List.of(), u -> {}));
    }
  }

  static CheckResult cluster(SweepResult r, String id) {
    return r.getClusterChecksList().stream()
        .filter(c -> c.getId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void thousandsOfNodesBoundedInFlightConstantSizeRequestsNoThreadPerCall() {
    int n = 3000;
    Fleet fleet = new Fleet(n);
    int threadsBefore = Thread.activeCount();
    AtomicInteger maxThreads = new AtomicInteger();
    long t0 = System.nanoTime();
    SweepResult r;
    try (SweepRunner runner =
        new SweepRunner(
            inventory(n),
            fleet,
            new ClusterContexts(ClusterContexts.DEFAULT_DNS_SERVICES),
            64,
            Duration.ofSeconds(5))) {
      r =
          SweepProtos.result(
              runner.run(
                  List.of(),
                  List.of(),
                  u -> maxThreads.accumulateAndGet(Thread.activeCount(), Math::max)));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(fleet.maxInFlight.get()).isLessThanOrEqualTo(64).isGreaterThan(32);
    assertThat(maxThreads.get()).as("no thread per call").isLessThan(threadsBefore + 8);
    // 3,000 × (20 ms RunChecks + 2 × 5 ms Probe) / 64 in flight ≈ 1.4 s; serial probes alone: 30 s
    assertThat(seconds).isLessThan(15);
    assertThat(fleet.getNodes.get()).as("summaries replace GetNode").isZero();
    assertThat(fleet.probes.get()).isEqualTo(2 * n);
    assertThat(fleet.maxRequestBytes.get())
        .as("a node's request does not list its peers")
        .isLessThan(300);
    assertThat(cluster(r, "tunnel-mesh").getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_OK);
    assertThat(cluster(r, "mtu-consistency").getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_OK);
    assertThat(cluster(r, "mtu-probe").getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_OK);
    assertThat(cluster(r, "mtu-probe").getSummary()).contains(n + " node pair(s)");
    assertThat(r.getNodesCount()).isEqualTo(n);
    // evidence capped: a node's report stays small, the cluster checks name a few nodes at most
    assertThat(r.getNodes(0).getSerializedSize()).isLessThan(1000);
    assertThat(r.getClusterChecksList())
        .allSatisfy(x -> assertThat(x.getSerializedSize()).isLessThan(20_000));
  }

  @Test
  void missingTunnelsAreNamedPerPairFromTheSummariesAndTheNodesOwnCheck() {
    int n = 200;
    Fleet fleet = new Fleet(n);
    fleet.missing.put(name(7), Set.of(name(8)));
    fleet.missing.put(name(8), Set.of(name(7)));
    // one node lacking every tunnel: named capped, counted in full
    Set<String> all = new java.util.HashSet<>();
    for (int j = 1; j <= n; j++) {
      all.add(name(j));
    }
    fleet.missing.put(name(100), all);
    SweepResult r = sweep(n, fleet, 16);
    CheckResult mesh = cluster(r, "tunnel-mesh");
    assertThat(mesh.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
    assertThat(mesh.getSummary())
        .contains(name(7) + "→" + name(8) + " (" + ip(8) + ")")
        .contains(name(8) + "→" + name(7) + " (" + ip(7) + ")")
        .contains(name(100) + "→" + name(1) + " (" + ip(1) + ")")
        .contains("(" + (2 + n - 1) + " in all)");
    assertThat(mesh.getSerializedSize()).isLessThan(10_000);
    CheckResult tunnels7 = r.getNodes(6).getChecks(0);
    assertThat(r.getNodes(6).getNode()).isEqualTo(name(7));
    assertThat(tunnels7.getSummary()).startsWith("no tunnel to " + name(8) + " (" + ip(8) + ")");
    assertThat(r.getNodes(0).getChecks(0).getSummary()).isEqualTo("as the agent says");
    assertThat(fleet.getNodes.get()).isZero();
  }

  @Test
  void olderAgentsWithoutSummaryGetAGetNodeOfTheirOwn() {
    int n = 50;
    Fleet fleet = new Fleet(n);
    fleet.old.add(name(3));
    fleet.old.add(name(9));
    fleet.missing.put(name(9), Set.of(name(10)));
    SweepResult r = sweep(n, fleet, 8);
    assertThat(fleet.getNodeFor).containsExactlyInAnyOrder(name(3), name(9));
    CheckResult mesh = cluster(r, "tunnel-mesh");
    assertThat(mesh.getSummary()).contains(name(9) + "→" + name(10) + " (" + ip(10) + ")");
    assertThat(cluster(r, "mtu-probe").getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_OK);
  }

  @Test
  void anMtuBlackholeIsNamedByItsSourceNodeAndTheOthersPass() {
    int n = 100;
    Fleet fleet = new Fleet(n);
    fleet.podMtu.put(name(42), 1500);
    SweepResult r = sweep(n, fleet, 32);
    CheckResult probe = cluster(r, "mtu-probe");
    assertThat(probe.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
    // both limits the summaries show are named: the tunnels carry 1442, the receiver has 1400
    assertThat(probe.getSummary())
        .isEqualTo(
            name(42)
                + "→"
                + name(43)
                + ": DF packets of 1500 bytes lost, small ones pass"
                + " (MTU blackhole); limited by the tunnel of "
                + name(42)
                + " (underlay MTU minus encapsulation carries pod MTU 1442 at most) and the"
                + " receiving pod default/web-43 (MTU 1400)");
    assertThat(probe.getRemediation())
        .contains("Lower the pod MTU of " + name(42) + " from 1500 to 1442")
        .contains("Pods disagree on the MTU");
    assertThat(probe.getEvidenceList().toString()).contains("DF ping -s 1472 (pod MTU 1500 - 28)");
    CheckResult consistency = cluster(r, "mtu-consistency");
    assertThat(consistency.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_WARN);
    assertThat(consistency.getSummary())
        .contains("1500=[" + name(42) + "]")
        .contains("1400=[" + name(1) + ", ")
        .contains("(99 nodes)");
  }
}
