package io.podpath.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.alert.Alerting;
import io.podpath.aggregator.alert.NodeConditionSink;
import io.podpath.aggregator.alert.NodeEventSink;
import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.leader.LeaseLeadership;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.aggregator.sweep.ClusterContexts;
import io.podpath.aggregator.sweep.SweepMetrics;
import io.podpath.aggregator.sweep.SweepRunner;
import io.podpath.aggregator.sweep.SweepService;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.RunChecksRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: with leader election, only the Lease holder's sweeps write Node conditions and Events.
 * A non-leader's on-demand sweep answers its caller and writes nothing (fabric8 mock, CRUD mode).
 */
@EnableKubernetesMockClient(crud = true)
class SweepLeadershipTest {
  @SuppressWarnings("NullAway.Init") // injected by @EnableKubernetesMockClient
  KubernetesClient client;

  @SuppressWarnings("NullAway.Init") // injected by @EnableKubernetesMockClient
  KubernetesMockServer server;

  /** n1's mtu check fails on every sweep. */
  static final class FailingAgent implements AgentClient {
    @Override
    public io.podpath.proto.v1.NodeInfo getNode(String node) {
      return io.podpath.proto.v1.NodeInfo.newBuilder().setNodeName(node).build();
    }

    @Override
    public CheckReport runChecks(String node, RunChecksRequest request) {
      return CheckReport.newBuilder()
          .setNode(node)
          .addResults(
              CheckResult.newBuilder()
                  .setId("mtu")
                  .setStatus(CheckStatus.CHECK_STATUS_FAIL)
                  .setSummary("pod MTU 1500 > 1442"))
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

  private Optional<NodeCondition> condition() {
    var status = client.nodes().withName("n1").get().getStatus();
    return status == null
        ? Optional.empty()
        : status.getConditions().stream()
            .filter(c -> c.getType().equals(NodeConditionSink.TYPE))
            .findFirst();
  }

  private int events() {
    return client.v1().events().inNamespace("default").list().getItems().size();
  }

  @Test
  void onlyTheLeadersSweepsWriteConditionsAndEvents() throws Exception {
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build())
        .create();
    ClusterIndex index =
        new ClusterIndex(
            List.of(),
            List.of(),
            List.of(),
            List.of(new NodeInfo("n1", "172.31.9.11", "172.31.9.11", List.of())),
            List.of());
    SweepRunner runner =
        new SweepRunner(
            new SnapshotInventory(index, "test"),
            new FailingAgent(),
            new ClusterContexts(List.of()),
            4,
            Duration.ofSeconds(5));
    Alerting alerting =
        Alerting.start(
            1,
            null,
            List.of(new NodeConditionSink(client), new NodeEventSink(client)),
            10,
            Duration.ofMillis(20),
            Duration.ofMillis(100),
            new SimpleMeterRegistry());
    List<AutoCloseable> closeables = new ArrayList<>();
    AtomicReference<LeaseLeadership.Work> work = new AtomicReference<>();
    try (SweepService sweeps =
        new SweepService(
            runner, Optional.of(alerting), new SweepMetrics(new SimpleMeterRegistry()))) {
      SweepWiring.followLeadership(
          sweeps,
          Duration.ZERO,
          0,
          Optional.of(
              w -> {
                work.set(w);
                return () -> {};
              }),
          closeables);

      // Not (yet) the leader: the caller gets the FAIL, the Node and Events stay untouched.
      assertThat(
              sweeps.sweep(List.of(), List.of(), u -> {}).nodes().get(0).checks().get(0).status())
          .isEqualTo(io.podpath.aggregator.model.CheckStatus.FAIL);
      Thread.sleep(500); // what a delivery would need many times over (retry 20 ms)
      assertThat(condition()).isEmpty();
      assertThat(events()).isZero();

      LeaseLeadership.Work leader = work.get();
      assertThat(leader).isNotNull(); // the lease was taken
      leader.startLeading();
      sweeps.sweep(List.of(), List.of(), u -> {});
      awaitCondition("True");
      assertThat(events()).isEqualTo(1);

      // Lost the lease: again nothing written, the condition stays as the new leader leaves it.
      leader.stopLeading();
      sweeps.sweep(List.of(), List.of(), u -> {});
      Thread.sleep(500);
      assertThat(events()).isEqualTo(1);
      assertThat(condition().orElseThrow().getStatus()).isEqualTo("True");
    }
  }

  private void awaitCondition(String status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline
        && !condition().map(c -> c.getStatus().equals(status)).orElse(false)) {
      Thread.sleep(20);
    }
    assertThat(condition()).as("condition").isPresent();
    assertThat(condition().get().getStatus()).isEqualTo(status);
  }
}
