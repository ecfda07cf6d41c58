package io.podpath.aggregator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.aggregator.agents.AgentAddress;
import io.podpath.aggregator.agents.StaticAgentDirectory;
import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
  @Test
  void healthReadinessAndMetrics() throws Exception {
    Vertx vertx = Vertx.vertx();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("podpath.test.things").increment();
    Inventory inventory = new SnapshotInventory(ClusterIndex.empty(), "snapshot test");
    HttpClient http = HttpClient.newHttpClient();
    try (HttpEndpoints ready =
            new HttpEndpoints(
                vertx,
                inventory,
                new StaticAgentDirectory(List.of(new AgentAddress("n1", "127.0.0.1", 1))),
                registry);
        HttpEndpoints notReady =
            new HttpEndpoints(vertx, inventory, new StaticAgentDirectory(List.of()), registry)) {
      int port = ready.listen("127.0.0.1", 0);
      int port2 = notReady.listen("127.0.0.1", 0);

      assertThat(get(http, port, "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> r = get(http, port, "/readyz");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"inventorySynced\":true").contains("\"agentsKnown\":1");
      assertThat(get(http, port2, "/readyz").statusCode()).isEqualTo(503);
      HttpResponse<String> m = get(http, port, "/metrics");
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.body()).contains("podpath_test_things_total 1.0");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
