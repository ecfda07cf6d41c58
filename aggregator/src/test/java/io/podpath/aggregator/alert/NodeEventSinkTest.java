package io.podpath.aggregator.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes Events on the Node, in fabric8's mock API server (CRUD mode). The mock enforces no
 * RBAC, so the test asserts the HTTP methods the sink sends: only POST (create) and PATCH, the two
 * verbs the chart grants on events.
 */
@EnableKubernetesMockClient(crud = true)
class NodeEventSinkTest {
  @SuppressWarnings("NullAway.Init") // injected by @EnableKubernetesMockClient
  KubernetesClient client;

  @SuppressWarnings("NullAway.Init") // injected by @EnableKubernetesMockClient
  KubernetesMockServer server;

  private List<Event> events() {
    return client.v1().events().inNamespace("default").list().getItems();
  }

  @Test
  void firingAndResolvedBecomeWarningAndNormalEventsOnTheNode() throws Exception {
    AlertKey key = new AlertKey("node3", "tunnels");
    try (Alerting a =
        Alerting.start(
            1,
            null,
            List.of(new NodeEventSink(client)),
            10,
            Duration.ofMillis(50),
            Duration.ofMillis(200),
            new SimpleMeterRegistry())) {
      Instant t = Instant.now();
      a.onSweep(List.of(AlertEngineTest.obs(key, "FAIL")), t);
      await(1);
      Event e = events().get(0);
      assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
      assertThat(e.getInvolvedObject().getName()).isEqualTo("node3");
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getReason()).isEqualTo("PodpathCheckFailing");
      assertThat(e.getMessage()).startsWith("tunnels: tunnels is FAIL");
      a.onSweep(List.of(AlertEngineTest.obs(key, "FAIL")), t.plusSeconds(60));
      a.onSweep(List.of(AlertEngineTest.obs(key, "OK")), t.plusSeconds(120));
      await(2);
      assertThat(events())
          .extracting(Event::getType)
          .containsExactlyInAnyOrder("Warning", "Normal");
      assertThat(events()).extracting(Event::getReason).contains("PodpathCheckResolved");
      assertThat(methods()).doesNotContain("PUT", "DELETE");
    }
  }

  @Test
  void aRetriedDeliveryReplacesTheSameEvent() throws Exception {
    NodeEventSink sink = new NodeEventSink(client);
    Notification n =
        new Notification(
            "x",
            Notification.Kind.FIRING,
            new AlertKey("node1", "mtu"),
            "critical",
            "pod MTU too big",
            "lower it",
            Instant.parse("2026-01-01T00:00:00Z"),
            null);
    sink.deliver(n);
    sink.deliver(n);
    // The retry's create is refused (409 Conflict) and becomes a patch of the same Event.
    assertThat(methods()).containsExactly("POST", "POST", "PATCH");
    assertThat(events())
        .filteredOn(e -> e.getInvolvedObject().getName().equals("node1"))
        .hasSize(1);
  }

  /** Every method the client sent so far (the mock records each request). */
  private List<String> methods() throws InterruptedException {
    List<String> out = new java.util.ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      out.add(r.getMethod());
    }
    return out;
  }

  private void await(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (events().size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(events()).hasSizeGreaterThanOrEqualTo(count);
  }
}
