package io.podpath.aggregator.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The informer inventory against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class Fabric8InventoryTest {
  @SuppressWarnings("NullAway.Init") // injected by @EnableKubernetesMockClient
  static KubernetesClient client;

  @SuppressWarnings("NullAway.Init") // injected by @EnableKubernetesMockClient
  static KubernetesMockServer server;

  @Test
  void seesTheSameClusterAsTheSnapshotAndFollowsChanges() throws Exception {
    KubernetesList list =
        client
            .getKubernetesSerialization()
            .unmarshal(ManifestReaderTest.sandboxManifest(), KubernetesList.class);
    for (HasMetadata item : list.getItems()) {
      client.resource(item).create();
    }
    // CRUD mode keeps what create() was given, status included, which is what the snapshot holds.
    try (Fabric8Inventory inv = new Fabric8Inventory(client).start()) {
      await(inv::synced, "informers synced");
      ClusterIndex snapshot = ManifestReader.parse(ManifestReaderTest.sandboxManifest());

      assertThat(inv.nodes()).isEqualTo(snapshot.nodes());
      String n2 = snapshot.node("node2").orElseThrow().encapIp();
      assertThat(inv.nodeByEncapIp(n2).map(NodeInfo::name)).contains("node2");
      assertThat(inv.pod(new ObjectRef("default", "web-2")))
          .isEqualTo(snapshot.pod(new ObjectRef("default", "web-2")));
      assertThat(inv.podByIp("10.244.1.4").map(p -> p.ref().name())).contains("client-1");
      assertThat(inv.serviceByClusterIp("10.96.0.10"))
          .isEqualTo(snapshot.serviceByClusterIp("10.96.0.10"));
      assertThat(inv.endpoints(new ObjectRef("default", "web")))
          .isEqualTo(snapshot.endpoints(new ObjectRef("default", "web")));
      assertThat(inv.networkPolicies())
          .extracting(p -> p.ref().name())
          .containsExactly("deny-ingress-web-2");

      Pod agent =
          new PodBuilder()
              .withNewMetadata()
              .withNamespace("podpath")
              .withName("agent-x")
              .addToLabels("app.kubernetes.io/name", "podpath-agent")
              .endMetadata()
              .withNewSpec()
              .withNodeName("node2")
              .withHostNetwork(true)
              .endSpec()
              .withNewStatus()
              .withPhase("Running")
              .withHostIP("172.31.4.12")
              .withPodIP("172.31.4.12")
              .endStatus()
              .build();
      client.resource(agent).create();
      await(
          () -> !inv.pods("podpath", Map.of("app.kubernetes.io/name", "podpath-agent")).isEmpty(),
          "agent pod seen");
      PodInfo seen = inv.pods("podpath", Map.of()).get(0);
      assertThat(seen.hostNetwork()).isTrue();
      assertThat(seen.hostIp()).isEqualTo("172.31.4.12");
      // A hostNetwork pod's IP is its node's, never a pod-network lookup hit.
      assertThat(inv.podByIp("172.31.4.12")).isEmpty();

      client.nodes().withName("node1").delete();
      await(() -> inv.node("node1").isEmpty(), "node1 gone");
    }
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Instant end = Instant.now().plus(Duration.ofSeconds(20));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }
}
