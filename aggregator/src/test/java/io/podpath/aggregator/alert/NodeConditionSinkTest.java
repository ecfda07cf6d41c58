package io.podpath.aggregator.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PodNetworkUnhealthy condition on the Node, in fabric8's mock API server (CRUD mode).
 *
 * <p>Gaps of the mock, and so of this test: it enforces no RBAC, so the test asserts the requests
 * instead (GETs of the Node, PATCH of nodes/status, nothing else); it refuses strategic-merge
 * patches (415), which is one reason the sink sends a JSON Patch; it does not run the kubelet, so
 * "the kubelet's conditions survive" is shown on a Ready condition written at set-up, not on one a
 * kubelet keeps patching.
 */
@EnableKubernetesMockClient(crud = true)
class NodeConditionSinkTest {
  @SuppressWarnings("NullAway.Init") // injected by @EnableKubernetesMockClient
  KubernetesClient client;

  @SuppressWarnings("NullAway.Init") // injected by @EnableKubernetesMockClient
  KubernetesMockServer server;

  @BeforeEach
  void nodes() throws InterruptedException {
    for (String name : List.of("node1", "node2")) {
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .withNewStatus()
                  .addNewCondition()
                  .withType("Ready")
                  .withStatus("True")
                  .withReason("KubeletReady")
                  .endCondition()
                  .endStatus()
                  .build())
          .create();
    }
    requests(); // drop the set-up requests
  }

  private Optional<NodeCondition> condition(String node) {
    Node n = client.nodes().withName(node).get();
    if (n.getStatus() == null) {
      return Optional.empty();
    }
    return n.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(NodeConditionSink.TYPE))
        .findFirst();
  }

  private List<RecordedRequest> requests() throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      out.add(r);
    }
    return out;
  }

  private static Notification note(
      String node, String check, Notification.Kind kind, String summary) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new Notification(
        node + check + kind,
        kind,
        new AlertKey(node, check),
        "critical",
        summary,
        "fix it",
        t,
        kind == Notification.Kind.RESOLVED ? t.plusSeconds(60) : null);
  }

  @Test
  void trueWhileAnyCheckFiresFalseWhenAllResolvedOnlyThatNode() throws Exception {
    NodeConditionSink sink = new NodeConditionSink(client);
    sink.deliver(note("node1", "tunnels", Notification.Kind.FIRING, "tunnel to node2 down"));
    sink.deliver(note("node1", "mtu", Notification.Kind.FIRING, "pod MTU 1500 > 1442"));
    List<RecordedRequest> sent = requests();
    assertThat(sent)
        .extracting(r -> r.getMethod() + " " + r.getPath())
        .containsOnly("GET /api/v1/nodes/node1", "PATCH /api/v1/nodes/node1/status");
    assertThat(sent)
        .filteredOn(r -> r.getMethod().equals("PATCH"))
        .extracting(r -> r.getHeader("Content-Type"))
        .allMatch(t -> t.startsWith("application/json-patch+json"));

    NodeCondition c = condition("node1").orElseThrow();
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo("PodpathChecksFailing");
    assertThat(c.getMessage())
        .isEqualTo(
            "failing podpath checks: mtu (pod MTU 1500 > 1442); tunnels (tunnel to node2 down)");
    assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(condition("node2")).isEmpty();
    assertThat(client.nodes().withName("node1").get().getStatus().getConditions())
        .extracting(NodeCondition::getType)
        .containsExactly("Ready", NodeConditionSink.TYPE);

    sink.deliver(note("node1", "tunnels", Notification.Kind.RESOLVED, "ok"));
    c = condition("node1").orElseThrow();
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(c.getMessage()).isEqualTo("failing podpath checks: mtu (pod MTU 1500 > 1442)");

    sink.deliver(note("node1", "mtu", Notification.Kind.RESOLVED, "ok"));
    c = condition("node1").orElseThrow();
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("PodpathChecksPassing");
    assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:01:00Z");
    assertThat(client.nodes().withName("node1").get().getStatus().getConditions())
        .extracting(NodeCondition::getType)
        .containsExactly("Ready", NodeConditionSink.TYPE);
  }

  @Test
  void aConditionThatMovedSinceTheReadIsRefusedNotOverwritten() {
    Node read = client.nodes().withName("node1").get();
    read.getStatus()
        .getConditions()
        .add(
            new NodeConditionBuilder()
                .withType(NodeConditionSink.TYPE)
                .withStatus("False")
                .build());
    String stale =
        NodeConditionSink.patch(
            read, Map.of("mtu", "x"), note("node1", "mtu", Notification.Kind.FIRING, "x"));
    // On the server index 1 does not exist (the list moved since the read): the test op refuses.
    assertThatThrownBy(
            () ->
                client
                    .nodes()
                    .withName("node1")
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.JSON), stale))
        .isInstanceOf(KubernetesClientException.class);
    assertThat(client.nodes().withName("node1").get().getStatus().getConditions())
        .extracting(NodeCondition::getType)
        .containsExactly("Ready");
  }

  @Test
  void clusterChecksTouchNoNodeAndAMissingNodeIsARetriedFailure() throws Exception {
    NodeConditionSink sink = new NodeConditionSink(client);
    sink.deliver(note("cluster", "dns", Notification.Kind.FIRING, "dns down"));
    assertThat(requests()).isEmpty();
    assertThatThrownBy(() -> sink.deliver(note("gone", "mtu", Notification.Kind.FIRING, "x")))
        .isInstanceOf(AlertSink.SinkException.class)
        .hasMessageContaining("Node gone not found");
  }

  @Test
  void theAlertingQueueDeliversAndReassertsTheCondition() throws Exception {
    AlertKey key = new AlertKey("node2", "ovs");
    try (Alerting a =
        Alerting.start(
            1,
            null,
            List.of(new NodeConditionSink(client)),
            10,
            Duration.ofMillis(50),
            Duration.ofMillis(200),
            new SimpleMeterRegistry())) {
      Instant t = Instant.now();
      a.onSweep(List.of(AlertEngineTest.obs(key, "FAIL")), t);
      awaitStatus("node2", "True");
      a.onSweep(List.of(AlertEngineTest.obs(key, "OK")), t.plusSeconds(60));
      awaitStatus("node2", "False");
    }
  }

  private void awaitStatus(String node, String status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline
        && !condition(node).map(c -> c.getStatus().equals(status)).orElse(false)) {
      Thread.sleep(50);
    }
    assertThat(condition(node)).map(NodeCondition::getStatus).hasValue(status);
  }
}
