package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.api.SweepProtos;
import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.Check;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.SweepResult;
import io.podpath.proto.v1.TunnelPort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The fan-out's own logic (bounded concurrency, deadline per node, progress, NOT_FOUND) against
 * agents that answer from memory; what real agents answer is SweepSandboxTest's.
 */
class SweepRunnerTest {
  static final List<NodeInfo> NODES =
      List.of(
          new NodeInfo("n1", "172.31.9.11", "172.31.9.11", List.of()),
          new NodeInfo("n2", "172.31.9.12", "172.31.9.12", List.of()),
          new NodeInfo("n3", "172.31.9.13", "172.31.9.13", List.of()),
          new NodeInfo("n4", "172.31.9.14", "172.31.9.14", List.of()));

  static Inventory inventory() {
    ClusterIndex index = new ClusterIndex(List.of(), List.of(), List.of(), NODES, List.of());
    return new SnapshotInventory(index, "test");
  }

  /** n3 never answers in time; the others answer OK after a short delay; n4 lacks a tunnel. */
  static final class Agents implements AgentClient {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final List<RunChecksRequest> requests = new ArrayList<>();

    @Override
    public io.podpath.proto.v1.NodeInfo getNode(String node) {
      io.podpath.proto.v1.NodeInfo.Builder b =
          io.podpath.proto.v1.NodeInfo.newBuilder()
              .setNodeName(node)
              .setPodMtu(1400)
              .setUnderlayMtu(1500);
      for (NodeInfo n : NODES) {
        if (!n.name().equals(node) && !(node.equals("n4") && n.name().equals("n1"))) {
          b.addTunnels(TunnelPort.newBuilder().setRemoteIp(n.encapIp()).setOfport(5));
        }
      }
      return b.build();
    }

    @Override
    public CheckReport runChecks(String node, RunChecksRequest request) {
      synchronized (requests) {
        requests.add(request);
      }
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(node.equals("n3") ? 5_000 : 100);
      } catch (InterruptedException e) {
        throw new AgentException(AgentException.Kind.TIMEOUT, node, "interrupted");
      } finally {
        inFlight.decrementAndGet();
      }
      return CheckReport.newBuilder()
          .setNode(node)
          .addResults(
              CheckResult.newBuilder().setId("ip-forward").setStatus(CheckStatus.CHECK_STATUS_OK))
          .build();
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

  @Test
  void boundedConcurrencyDeadlinePerNodeProgressAndClusterChecks() {
    Agents agents = new Agents();
    List<SweepProgress> updates = new ArrayList<>();
    SweepResult r;
    try (SweepRunner runner =
        new SweepRunner(
            inventory(),
            agents,
            new ClusterContexts(ClusterContexts.DEFAULT_DNS_SERVICES),
            2,
            Duration.ofMillis(800))) {
      r = SweepProtos.result(runner.run(List.of(), List.of(), updates::add));
    }
    assertThat(agents.maxInFlight.get()).as("at most 2 nodes at once").isLessThanOrEqualTo(2);
    assertThat(updates).hasSize(5);
    assertThat(updates.subList(0, 4)).extracting(SweepProgress::done).containsExactly(1, 2, 3, 4);
    assertThat(updates.get(4).result().map(SweepProtos::result)).contains(r);
    assertThat(r.getNodesList())
        .extracting(n -> n.getNode())
        .containsExactly("n1", "n2", "n3", "n4");
    assertThat(r.getNodes(2).getError()).contains("did not answer within 800 ms");
    assertThat(r.getNodes(2).getChecks(0).getStatus())
        .isEqualTo(CheckStatus.CHECK_STATUS_UNREACHABLE);
    assertThat(r.getNodes(0).getChecks(0).getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_OK);
    // each node is told about its 3 peers as a digest of the 4 encap IPs, not as a list
    assertThat(agents.requests)
        .allSatisfy(
            q -> {
              assertThat(q.getContext().getPeersCount()).isZero();
              assertThat(q.getContext().getPeerSet().getCount()).isEqualTo(4);
              assertThat(q.getIncludeSummary()).isTrue();
            });
    assertThat(agents.requests)
        .extracting(q -> q.getContext().getPeerSet().getSelfEncapIp())
        .containsExactlyInAnyOrder("172.31.9.11", "172.31.9.12", "172.31.9.13", "172.31.9.14");
    assertThat(SweepRunnerScaleTest.cluster(r, "tunnel-mesh").getStatus())
        .isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
    assertThat(SweepRunnerScaleTest.cluster(r, "tunnel-mesh").getSummary())
        .contains("n4→n1 (172.31.9.11)")
        .doesNotContain("n1→");
    assertThat(SweepRunnerScaleTest.cluster(r, "mtu-consistency").getStatus())
        .isEqualTo(CheckStatus.CHECK_STATUS_OK);
    assertThat(SweepRunnerScaleTest.cluster(r, "mtu-probe").getStatus())
        .isEqualTo(CheckStatus.CHECK_STATUS_NOT_APPLICABLE);
  }

  @Test
  void onlyTheNamedNodesAndChecks() {
    Agents agents = new Agents();
    try (SweepRunner runner =
        new SweepRunner(
            inventory(),
            agents,
            new ClusterContexts(ClusterContexts.DEFAULT_DNS_SERVICES),
            2,
            Duration.ofSeconds(2))) {
      SweepReport r = runner.run(List.of("n2"), List.of("ip-forward"), u -> {});
      assertThat(r.nodes()).extracting(NodeResult::node).containsExactly("n2");
      assertThat(r.clusterChecks()).isEmpty();
      assertThat(agents.requests)
          .singleElement()
          .satisfies(q -> assertThat(q.getCheckIdsList()).containsExactly("ip-forward"));
      assertThatThrownBy(() -> runner.run(List.of("n9"), List.of(), u -> {}))
          .isInstanceOf(UnknownNodeException.class)
          .hasMessageContaining("n9");
    }
  }

  @Test
  void sweepObservationsFeedAlertsWithTheAgentsReachability() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    SweepReport r =
        new SweepReport(
            t,
            t,
            List.of(
                new NodeResult(
                    "n1",
                    Optional.empty(),
                    List.of(
                        Check.of("mtu", io.podpath.aggregator.model.CheckStatus.FAIL, "too big"))),
                new NodeResult(
                    "n2",
                    Optional.of("gone"),
                    List.of(
                        Check.of(
                            "agent", io.podpath.aggregator.model.CheckStatus.UNREACHABLE, "")))),
            List.of());
    assertThat(SweepService.observations(r))
        .extracting(o -> o.key().toString() + "=" + o.status())
        .containsExactly("n1/agent=OK", "n1/mtu=FAIL", "n2/agent=UNREACHABLE");
  }
}
