package io.podpath.agent.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.proto.grpc.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's HTTP endpoints over a real socket, with the JDK's HTTP client. */
class MetricsHttpTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private volatile Optional<String> notReady = Optional.empty();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private MetricsHttp http;

  @BeforeEach
  void start() throws IOException {
    registry.counter("podpath_test_scrapes", "kind", "unit").increment(3);
    http = MetricsHttp.start(HostPort.parse("127.0.0.1:0"), registry, () -> notReady);
  }

  @AfterEach
  void stop() {
    http.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsServesThePrometheusTextExposition() throws Exception {
    HttpResponse<String> r = send("GET", "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body())
        .contains("# TYPE podpath_test_scrapes_total counter")
        .contains("podpath_test_scrapes_total{kind=\"unit\"} 3.0");
  }

  @Test
  void headAnswersWithoutABody() throws Exception {
    HttpResponse<String> r = send("HEAD", "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void healthAndReadiness() throws Exception {
    assertThat(send("GET", "/healthz").body()).isEqualTo("ok\n");
    HttpResponse<String> ready = send("GET", "/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");

    notReady = Optional.of("not ready: unix:/run/x/db.sock: cannot connect");
    HttpResponse<String> unready = send("GET", "/readyz");
    assertThat(unready.statusCode()).isEqualTo(503);
    assertThat(unready.body()).isEqualTo("not ready: unix:/run/x/db.sock: cannot connect\n");
  }

  @Test
  void otherPathsAreNotFound() throws Exception {
    for (String path : new String[] {"/", "/metrics/", "/metricsx", "/debug/pprof"}) {
      HttpResponse<String> r = send("GET", path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.body()).as(path).contains("not found: " + path);
    }
  }

  @Test
  void otherMethodsAreNotAllowed() throws Exception {
    for (String method : new String[] {"POST", "PUT", "DELETE"}) {
      HttpResponse<String> r = send(method, "/metrics");
      assertThat(r.statusCode()).as(method).isEqualTo(405);
      assertThat(r.headers().firstValue("allow")).as(method).hasValue("GET, HEAD");
    }
  }

  @Test
  void aBusyPortIsNamedInTheError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      HostPort listen = HostPort.parse("127.0.0.1:" + taken.getLocalPort());
      assertThatThrownBy(() -> MetricsHttp.start(listen, registry, () -> notReady))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("--metrics-listen 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void closeFreesThePort() throws Exception {
    int port = http.port();
    http.close();
    http = MetricsHttp.start(HostPort.parse("127.0.0.1:" + port), registry, () -> notReady);
    assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void brokenRequestsGetNoCrashAndTheServerKeepsAnswering() throws Exception {
    String[] raw = {
      "\r\n\r\n",
      "GET\r\n\r\n",
      "GET /" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
      "\u0000\u0001\u0002 binary",
    };
    for (String request : raw) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), http.port())) {
        s.setSoTimeout(5_000);
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        s.shutdownOutput();
        InputStream in = s.getInputStream();
        String answer = new String(in.readNBytes(200), StandardCharsets.ISO_8859_1);
        assertThat(answer)
            .as(request.substring(0, Math.min(40, request.length())))
            .doesNotStartWith("HTTP/1.1 200");
      }
      assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aHundredSlowConnectionsDoNotStarveScrapes() throws Exception {
    java.util.List<Socket> slow = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), http.port());
        slow.add(s);
        if (i % 2 == 0) {
          // half a request: the server has to wait for the rest of the head
          s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(UTF_8));
          s.getOutputStream().flush();
        } // else: connected, silent
      }
      for (int i = 0; i < 3; i++) {
        assertThat(send("GET", "/metrics").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
      }
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }
}
