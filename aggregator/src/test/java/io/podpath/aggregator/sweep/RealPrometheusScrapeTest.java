package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.aggregator.model.CheckStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REAL Prometheus (Debian's, started here on loopback, killed after) scrapes the sweep metrics
 * served over HTTP and answers a PromQL query about them.
 */
class RealPrometheusScrapeTest {
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

  static int freePort() throws IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void prometheusScrapesAndQueriesTheSweepMetrics(@TempDir Path dir) throws Exception {
    assertThat(PROMETHEUS).as("prometheus (Debian; hack/install-deps)").isExecutable();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new SweepMetrics(registry).record(SweepMetricsPromtoolTest.result(CheckStatus.FAIL));
    HttpServer metrics =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    metrics.createContext(
        "/metrics",
        ex -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    metrics.start();
    int port = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "scrape_configs:",
            "  - job_name: podpath",
            "    static_configs:",
            "      - targets: ['127.0.0.1:" + metrics.getAddress().getPort() + "']",
            ""));
    Process p =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    try {
      String q =
          URLEncoder.encode(
              "podpath_sweep_check_status{node=\"node1\",check=\"mtu\",status=\"fail\"}",
              StandardCharsets.UTF_8);
      URI query = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=" + q);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      JsonNode result = null;
      while (System.nanoTime() < deadline) {
        try {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(query).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            JsonNode res = new ObjectMapper().readTree(r.body()).path("data").path("result");
            if (res.size() > 0) {
              result = res;
              break;
            }
          }
        } catch (IOException e) {
          // not up yet
        }
        assertThat(p.isAlive()).as(Files.readString(dir.resolve("prometheus.log"))).isTrue();
        Thread.sleep(300);
      }
      assertThat(result)
          .as(
              "Prometheus scraped the series; log: "
                  + Files.readString(dir.resolve("prometheus.log")))
          .isNotNull();
      assertThat(result.get(0).path("value").get(1).asText()).isEqualTo("1");
      assertThat(result.get(0).path("metric").path("job").asText()).isEqualTo("podpath");
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      metrics.stop(0);
    }
  }
}
