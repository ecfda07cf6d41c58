package io.podpath.aggregator.alert;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's real Alertmanager on 127.0.0.1, with a temp config and storage dir; clustering off. Its
 * only receiver is a webhook to the test's loopback {@link Receiver}, with send_resolved, so the
 * test sees what Alertmanager itself believes (firing, then resolved).
 */
public final class AlertmanagerProcess implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
  private final int port;
  private final Path dir;
  private final Process process;

  public AlertmanagerProcess(int port, Path dir, int receiverPort)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " missing: run hack/install-deps");
    }
    this.port = port;
    this.dir = dir;
    Files.createDirectories(dir.resolve("data"));
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "route:",
            "  receiver: test",
            "  group_by: [alertname, node, check]",
            "  group_wait: 100ms",
            "  group_interval: 1s",
            "  repeat_interval: 1h",
            "receivers:",
            "  - name: test",
            "    webhook_configs:",
            "      - url: http://127.0.0.1:" + receiverPort + "/am",
            "        send_resolved: true",
            ""));
    process =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("alertmanager.log").toFile())
            .start();
    awaitReady();
  }

  public URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** GET /api/v2/alerts: what Alertmanager holds as active now. */
  public String alerts() throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(base().resolve("/api/v2/alerts")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "alertmanager exited: " + Files.readString(dir.resolve("alertmanager.log")));
      }
      try {
        if (c.send(
                    HttpRequest.newBuilder(base().resolve("/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    close();
    throw new IllegalStateException("alertmanager not ready in 20 s");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
