package io.podpath.packaging;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * helm-java's template leaves Helm's dry-run option at "none", so the chart's {@code lookup} of the
 * generated TLS Secrets really calls an API server. This is the one the tests give it: the fabric8
 * mock in CRUD mode plus the discovery document lookup needs, reached through the KUBECONFIG that
 * surefire sets for the test JVM.
 */
final class FakeApiServer {
  private static FakeApiServer instance;

  private final KubernetesMockServer server;
  private final NamespacedKubernetesClient client;

  private FakeApiServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    // client-go asks for discovery with its request timeout as a query parameter.
    String discovery =
        """
        {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "v1", "resources": [
          {"name": "secrets", "singularName": "secret", "namespaced": true, "kind": "Secret",
           "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]}]}
        """;
    for (String path : List.of("/api/v1", "/api/v1?timeout=32s")) {
      server.expect().get().withPath(path).andReturn(200, discovery).always();
    }
    client = server.createClient();
    writeKubeconfig();
  }

  static synchronized FakeApiServer get() {
    if (instance == null) {
      instance = new FakeApiServer();
      Runtime.getRuntime().addShutdownHook(new Thread(instance.server::destroy));
    }
    return instance;
  }

  NamespacedKubernetesClient client() {
    return client;
  }

  private void writeKubeconfig() {
    String path = System.getProperty("podpath.kubeconfig");
    if (path == null || !path.equals(System.getenv("KUBECONFIG"))) {
      throw new IllegalStateException(
          "run through Maven: surefire sets KUBECONFIG for helm-java's lookup (packaging/pom.xml)");
    }
    String url = "http://" + server.getHostName() + ":" + server.getPort();
    String config =
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s"}}]
        users: [{name: mock, user: {token: test}}]
        contexts: [{name: mock, context: {cluster: mock, user: mock}}]
        current-context: mock
        """
            .formatted(url);
    try {
      Files.createDirectories(Path.of(path).getParent());
      Files.writeString(Path.of(path), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
