package io.podpath.aggregator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.podpath.aggregator.cli.Commands;
import io.podpath.aggregator.inventory.Fabric8Inventory;
import io.podpath.aggregator.inventory.ObjectRef;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * (6) The Kubernetes API (fabric8's mock server in CRUD mode, the one allowed stand-in) goes down
 * under a running informer inventory: the inventory keeps answering from its cache, the CLI says
 * clearly it cannot reach the API server (exit 3, the URL named), and when an API server comes back
 * on the same address the informers re-list and see what changed meanwhile.
 */
class ApiServerOutageTest {
  static KubernetesMockServer server() {
    return new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
  }

  static void load(KubernetesClient client) throws Exception {
    String text;
    try (InputStream in =
        ApiServerOutageTest.class.getResourceAsStream("/fixtures/inventory/sandbox-cluster.yaml")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    KubernetesList list = client.getKubernetesSerialization().unmarshal(text, KubernetesList.class);
    for (HasMetadata item : list.getItems()) {
      client.resource(item).create();
    }
  }

  @Test
  void apiDownGivesClearErrorsAndInformersRecover(@TempDir Path dir) throws Exception {
    KubernetesMockServer first = server();
    first.init(InetAddress.getLoopbackAddress(), 0);
    int port = first.getPort();
    // Reconnect quickly (default: 1 s doubling) so the test does not wait on the backoff.
    KubernetesClient client =
        first.createClient(
            b ->
                b.editOrNewConfig()
                    .withWatchReconnectInterval(100)
                    .withRequestTimeout(2000)
                    .withRequestRetryBackoffLimit(0)
                    .endConfig());
    load(client);
    try (Fabric8Inventory inv = new Fabric8Inventory(client).start()) {
      await(inv::synced, "informers synced", Duration.ofSeconds(30));
      ObjectRef web2 = new ObjectRef("default", "web-2");
      assertThat(inv.pod(web2)).isPresent();

      first.destroy();

      // Clear errors: the API itself, and the CLI finding its aggregator through it.
      try {
        client.pods().inNamespace("default").list();
        throw new AssertionError("API call succeeded with the API server down");
      } catch (KubernetesClientException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(
          kubeconfig,
          "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:"
              + port
              + "\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n"
              + "current-context: c\nusers:\n- name: u\n  user:\n    token: t\n");
      long t0 = System.nanoTime();
      CommandLine cl = Commands.commandLine();
      StringWriter err = new StringWriter();
      cl.setErr(new PrintWriter(err, true));
      cl.setOut(new PrintWriter(new StringWriter(), true));
      int exit =
          cl.execute(
              "--aggregator",
              "",
              "--kubeconfig",
              kubeconfig.toString(),
              "--timeout",
              "5",
              "trace",
              "default/client-1",
              "default/web-1",
              "--dst-port",
              "80");
      System.out.printf(
          "CLI with the API server down (%d ms): exit %d: %s%n",
          (System.nanoTime() - t0) / 1_000_000, exit, err);
      assertThat(exit).as(err.toString()).isEqualTo(3);
      assertThat(err.toString()).startsWith("podpath: ").contains("127.0.0.1:" + port);
      // The cache still answers meanwhile.
      assertThat(inv.pod(web2)).isPresent();

      // The API server returns on the same address, with a pod created while it was away.
      KubernetesMockServer second = server();
      second.init(InetAddress.getLoopbackAddress(), port);
      try {
        KubernetesClient admin = second.createClient();
        load(admin);
        admin
            .pods()
            .inNamespace("default")
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withNamespace("default")
                    .withName("late-1")
                    .endMetadata()
                    .withNewSpec()
                    .withNodeName("node1")
                    .endSpec()
                    .withNewStatus()
                    .withPodIP("10.244.1.77")
                    .endStatus()
                    .build())
            .create();
        ObjectRef late = new ObjectRef("default", "late-1");
        long t1 = System.nanoTime();
        await(() -> inv.pod(late).isPresent(), "informers re-listed", Duration.ofSeconds(90));
        System.out.printf("informers recovered in %d ms%n", (System.nanoTime() - t1) / 1_000_000);
        assertThat(inv.synced()).isTrue();
        assertThat(inv.pod(web2)).isPresent();
        admin.close();
      } finally {
        second.destroy();
        client.close();
      }
    }
  }

  static void await(BooleanSupplier c, String what, Duration limit) throws InterruptedException {
    Instant until = Instant.now().plus(limit);
    while (!c.getAsBoolean()) {
      if (Instant.now().isAfter(until)) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(200);
    }
  }
}
