package io.podpath.aggregator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.aggregator.agents.AgentAddress;
import io.podpath.aggregator.agents.StaticAgentDirectory;
import io.podpath.aggregator.api.HttpEndpoints;
import io.podpath.aggregator.trace.TracePlannerTest;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Raw HTTP/1.1 against the aggregator's Vert.x endpoints: unknown paths and methods, traversal,
 * oversized URIs, headers and bodies, broken framing. Each gets its exact status code, and the
 * server answers /healthz right after on a new connection.
 */
class HttpBadInputTest {
  static Vertx vertx;
  static HttpEndpoints http;
  static int port;

  @SuppressWarnings("ArrayRecordComponent") // a test case's bytes, never compared
  record Case(String name, byte[] request, int status) {
    @Override
    public String toString() {
      return name + " → " + status;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    http =
        new HttpEndpoints(
            vertx,
            TracePlannerTest.inventory(),
            new StaticAgentDirectory(List.of(new AgentAddress("node1", "127.0.0.1", 1))),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    port = http.listen("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    http.close();
    vertx.close();
  }

  static Case c(String name, String head, int status) {
    return new Case(name, head.getBytes(StandardCharsets.ISO_8859_1), status);
  }

  static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  }

  static String req(String method, String path, String extra) {
    return method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extra + "\r\n";
  }

  static Stream<Case> cases() {
    List<Case> c = new ArrayList<>();
    for (String p :
        List.of(
            "/nope",
            "/healthz/extra",
            "/metrics.json",
            "/HEALTHZ",
            "/../../etc/passwd",
            "/healthz/../../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/api/v1/$(reboot)",
            "/readyz;rm",
            "/%00",
            "/%ff%fe")) {
      c.add(c("GET " + p, get(p), 404));
    }
    for (String m : List.of("POST", "PUT", "DELETE", "PATCH")) {
      for (String p : List.of("/healthz", "/readyz", "/metrics")) {
        c.add(c(m + " " + p, req(m, p, "Content-Length: 0\r\n"), 405));
      }
    }
    c.add(c("TRACE /healthz", req("TRACE", "/healthz", ""), 405));
    c.add(c("unknown method FOO", req("FOO", "/healthz", ""), 405));
    c.add(c("URI of 64 KiB", get("/" + "a".repeat(64 << 10)), 414));
    c.add(
        c(
            "header of 64 KiB",
            req("GET", "/healthz", "X-Big: " + "a".repeat(64 << 10) + "\r\n"),
            431));
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      many.append("X-H").append(i).append(": ").append("v".repeat(60)).append("\r\n");
    }
    c.add(c("400 headers (26 KiB)", req("GET", "/healthz", many.toString()), 431));
    c.add(c("garbage request line", "GARBAGE\r\n\r\n", 400));
    c.add(c("no path", "GET\r\n\r\n", 400));
    c.add(c("control char in header name", req("GET", "/healthz", "X\u0001Y: z\r\n"), 400));
    c.add(c("space before colon", req("GET", "/healthz", "X-A : z\r\n"), 400));
    c.add(c("Content-Length abc", req("POST", "/healthz", "Content-Length: abc\r\n"), 400));
    c.add(c("Content-Length -1", req("POST", "/healthz", "Content-Length: -1\r\n"), 400));
    c.add(
        c(
            "Content-Length and chunked",
            req("POST", "/healthz", "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n")
                + "0\r\n\r\n",
            405));
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exactStatusAndStillServing(Case c) throws Exception {
    assertThat(status(c.request())).as(c.name()).isEqualTo(c.status());
    assertThat(status(get("/healthz").getBytes(StandardCharsets.US_ASCII))).isEqualTo(200);
  }

  /** A 16 MiB body to an endpoint that takes none: refused, and the server is still there. */
  @ParameterizedTest(name = "body of {0} MiB")
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 16})
  void hugeBodyRefused(int mib) throws Exception {
    byte[] head =
        req("POST", "/healthz", "Content-Length: " + (mib << 20) + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    int status;
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(head);
      try {
        byte[] chunk = new byte[64 << 10];
        for (int i = 0; i < (mib << 20) / chunk.length; i++) {
          out.write(chunk);
        }
      } catch (IOException closedEarly) {
        // The server may answer and close before reading it all: that is fine.
      }
      status = readStatus(s.getInputStream());
    }
    assertThat(status).isEqualTo(405);
    assertThat(status(get("/healthz").getBytes(StandardCharsets.US_ASCII))).isEqualTo(200);
  }

  static int status(byte[] request) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      try {
        s.getOutputStream().write(request);
        s.getOutputStream().flush();
      } catch (IOException closedEarly) {
        // answered and closed while we were still sending
      }
      return readStatus(s.getInputStream());
    }
  }

  static int readStatus(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      line.write(b);
    }
    String l = line.toString(StandardCharsets.ISO_8859_1);
    if (!l.startsWith("HTTP/1.")) {
      return -1; // connection closed without an answer
    }
    return Integer.parseInt(l.substring(9, 12));
  }
}
