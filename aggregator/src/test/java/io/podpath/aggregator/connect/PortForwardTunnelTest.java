package io.podpath.aggregator.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pod and port selection against fabric8's mock API server (CRUD mode). The mock cannot carry a
 * real port-forward stream to a process, so the tunnel itself is exercised by {@link
 * PortForwardStreamTest} with a scripted stream, and end to end only on a real cluster.
 */
@EnableKubernetesMockClient(crud = true)
class PortForwardTunnelTest {
  static final String NS = "podpath";
  static final Map<String, String> SELECTOR =
      Map.of("app.kubernetes.io/instance", "podpath", "app.kubernetes.io/component", "aggregator");

  @SuppressWarnings("NullAway.Init") // injected by @EnableKubernetesMockClient
  KubernetesMockServer server;

  @SuppressWarnings("NullAway.Init") // injected by @EnableKubernetesMockClient
  KubernetesClient client;

  static void service(KubernetesClient client) {
    client
        .services()
        .inNamespace(NS)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("podpath-aggregator")
                .endMetadata()
                .withNewSpec()
                .withSelector(SELECTOR)
                .addNewPort()
                .withName("http")
                .withPort(8080)
                .endPort()
                .endSpec()
                .build())
        .create();
  }

  static Pod pod(String name, String phase, boolean ready, boolean withPort) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(SELECTOR)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("aggregator")
            .addNewPort()
            .withName(withPort ? "grpc-cli" : "other")
            .withContainerPort(7400)
            .endPort()
            .addNewPort()
            .withName("http")
            .withContainerPort(8080)
            .endPort()
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase(phase)
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus();
    return b.build();
  }

  void create(Pod pod) {
    client.pods().inNamespace(NS).resource(pod).create();
  }

  @Test
  void picksTheReadyPodBehindTheServiceAndItsCliPort() {
    service(client);
    create(pod("podpath-aggregator-a", "Pending", false, true));
    create(pod("podpath-aggregator-b", "Running", true, true));
    create(pod("podpath-aggregator-c", "Running", false, true));

    PortForwardTunnel.Target target =
        PortForwardTunnel.resolve(client, AggregatorLocation.of(NS, null));

    assertThat(target).isEqualTo(new PortForwardTunnel.Target("podpath-aggregator-b", 7400));
  }

  @Test
  void ignoresPodsOfOtherInstances() {
    service(client);
    Pod other = pod("other-aggregator", "Running", true, true);
    other.getMetadata().setLabels(Map.of("app.kubernetes.io/instance", "other"));
    create(other);
    assertThatThrownBy(() -> PortForwardTunnel.resolve(client, AggregatorLocation.of(NS, "")))
        .isInstanceOfSatisfying(
            AggregatorUnreachableException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(AggregatorUnreachableException.Reason.NO_READY_POD))
        .hasMessageContaining("no pods match its selector");
  }

  @Test
  void saysWhenNoPodIsReady() {
    service(client);
    create(pod("podpath-aggregator-a", "Pending", false, true));
    create(pod("podpath-aggregator-b", "Running", false, true));
    assertThatThrownBy(() -> PortForwardTunnel.resolve(client, AggregatorLocation.of(NS, "")))
        .hasMessage(
            "no ready aggregator pod behind podpath/podpath-aggregator: 2 pod(s), none ready:"
                + " podpath-aggregator-a (Pending) podpath-aggregator-b (Running, not ready)");
  }

  @Test
  void saysWhenTheServiceIsMissing() {
    assertThatThrownBy(
            () -> PortForwardTunnel.resolve(client, AggregatorLocation.of("elsewhere", "")))
        .isInstanceOfSatisfying(
            AggregatorUnreachableException.class,
            e -> assertThat(e.reason()).isEqualTo(AggregatorUnreachableException.Reason.NO_SERVICE))
        .hasMessageContaining("no Service elsewhere/podpath-aggregator")
        .hasMessageContaining("--aggregator-namespace");
  }

  @Test
  void saysWhenThePodHasNoCliPort() {
    service(client);
    create(pod("podpath-aggregator-a", "Running", true, false));
    assertThatThrownBy(() -> PortForwardTunnel.resolve(client, AggregatorLocation.of(NS, "")))
        .hasMessage("pod podpath/podpath-aggregator-a declares no container port named grpc-cli");
  }

  @Test
  void aForbiddenUserIsToldWhichRoleToAskFor() {
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/podpath/services/podpath-aggregator")
        .andReturn(
            403,
            new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage(
                    "services \"podpath-aggregator\" is forbidden: User \"dev\" cannot get"
                        + " resource \"services\"")
                .build())
        .once();
    assertThatThrownBy(() -> PortForwardTunnel.resolve(client, AggregatorLocation.of(NS, "")))
        .isInstanceOfSatisfying(
            AggregatorUnreachableException.class,
            e -> assertThat(e.reason()).isEqualTo(AggregatorUnreachableException.Reason.FORBIDDEN))
        .hasMessageContaining("may not get services in namespace podpath")
        .hasMessageContaining("Role podpath-user");
  }

  @Test
  void locationsAreValidated() {
    assertThat(AggregatorLocation.of(null, " ")).isEqualTo(AggregatorLocation.defaults());
    assertThatThrownBy(() -> AggregatorLocation.of("Bad_NS", null))
        .hasMessageContaining("namespace");
    assertThat(AggregatorLocation.of("ops", "pp-aggregator").userRole()).isEqualTo("pp-user");
  }
}
