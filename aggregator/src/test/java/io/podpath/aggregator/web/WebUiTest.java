package io.podpath.aggregator.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.aggregator.agents.StaticAgentDirectory;
import io.podpath.aggregator.api.HttpEndpoints;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.render.OutputFormat;
import io.podpath.aggregator.render.Style;
import io.podpath.aggregator.render.TraceRenderer;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.Evidence;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.StatusRequest;
import io.podpath.proto.v1.SweepResult;
import io.podpath.proto.v1.TraceRequest;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The page's HTTP edge: assets, CSP, the cross-site guard, the API's JSON and its errors. */
class WebUiTest {
  static Vertx vertx;
  static HttpEndpoints http;
  static String base;
  static final AtomicReference<TraceRequest> lastTrace = new AtomicReference<>();
  static final HttpClient client = HttpClient.newHttpClient();

  static final TraceResult TRACED =
      TraceResult.newBuilder()
          .setSource("default/client-1")
          .setDestination("default/web-2")
          .addEndpoints(
              EndpointTrace.newBuilder()
                  .setEndpoint("default/web-2")
                  .setIp("10.244.2.3")
                  .setForward(
                      DirectionTrace.newBuilder()
                          .setVerdict(Verdict.VERDICT_DELIVERED)
                          .setSummary("delivered")))
          .build();

  static final class Service extends AggregatorServiceGrpc.AggregatorServiceImplBase {
    @Override
    public void status(StatusRequest request, StreamObserver<SweepResult> out) {
      out.onNext(
          SweepResult.newBuilder()
              .setFinishedAt("2026-01-01T00:00:00.123456789Z")
              .addNodes(
                  NodeReport.newBuilder()
                      .setNode("node2")
                      .addChecks(
                          CheckResult.newBuilder()
                              .setId("ip-forward")
                              .setStatus(CheckStatus.CHECK_STATUS_FAIL)
                              .setSummary("ip_forward is 0")
                              .setRemediation("sysctl -w net.ipv4.ip_forward=1")))
              .addClusterChecks(
                  CheckResult.newBuilder()
                      .setId("tunnel-mesh")
                      .setStatus(CheckStatus.CHECK_STATUS_FAIL)
                      .addEvidence(
                          Evidence.newBuilder()
                              .setSource("tunnels of node1")
                              .setValue("no tunnel to node3 (172.31.9.13), node2 (172.31.9.12)"))
                      // The other end of a pair reports it too: still one pair.
                      .addEvidence(
                          Evidence.newBuilder()
                              .setSource("tunnels of node3")
                              .setValue("no tunnel to node1 (172.31.9.11)")))
              .build());
      out.onCompleted();
    }

    @Override
    public void trace(TraceRequest request, StreamObserver<TraceResult> out) {
      lastTrace.set(request);
      if (request.getDestination().getPod().getName().equals("missing")) {
        out.onError(
            Status.NOT_FOUND.withDescription("pod default/missing not found").asException());
        return;
      }
      out.onNext(TRACED);
      out.onCompleted();
    }
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    var inventory =
        SnapshotInventory.load(
            Path.of("src/test/resources/fixtures/inventory/sandbox-cluster.yaml"));
    http =
        new HttpEndpoints(
            vertx,
            inventory,
            StaticAgentDirectory.parse(List.of("node1=127.0.0.1:1")),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    WebUi.mount(http.router(), new Service(), inventory);
    base = "http://127.0.0.1:" + http.listen("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    http.close();
    vertx.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/api/trace"))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pageAndAssetsComeFromTheJarWithAStrictCsp() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script type=\"module\" src=\"/app.js\">");
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
        .contains("script-src 'self'")
        .contains("default-src 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(get("/grid.js").headers().firstValue("content-type"))
        .contains("text/javascript; charset=utf-8");
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void aTraceWithoutTheHeaderOrFromAnotherOriginIsRefused() throws Exception {
    lastTrace.set(null);
    String body = "{\"source\":\"default/client-1\",\"destination\":\"default/web-2\",\"port\":80}";
    assertThat(post(body, "content-type", "text/plain").statusCode()).isEqualTo(403);
    assertThat(
            post(body, "X-Podpath-Request", "trace", "Origin", "http://evil.example").statusCode())
        .isEqualTo(403);
    assertThat(
            post(body, "X-Podpath-Request", "trace", "Sec-Fetch-Site", "cross-site").statusCode())
        .isEqualTo(403);
    assertThat(lastTrace.get()).isNull();
    HttpResponse<String> ok = post(body, "X-Podpath-Request", "trace");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(new JsonObject(ok.body()).getString("svg")).startsWith("<svg");
    // The page's document is the CLI's -o json document (one mapper).
    assertThat(new JsonObject(ok.body()).getJsonObject("result"))
        .isEqualTo(
            new JsonObject(TraceRenderer.render(TRACED, OutputFormat.json, false, Style.PLAIN)));
    TraceRequest sent = lastTrace.get();
    assertThat(sent).isNotNull();
    assertThat(sent.getDestination().getPod().getName()).isEqualTo("web-2");
    assertThat(sent.getDstPort()).isEqualTo(80);
    assertThat(sent.getSize()).isZero();
    assertThat(sent.getAllowFragmentation()).isFalse();
  }

  @Test
  void theFormsSizeAndFragmentationReachTheTraceRequest() throws Exception {
    String body =
        "{\"source\":\"default/client-1\",\"destination\":\"default/web-2\",\"protocol\":\"icmp\","
            + "\"size\":\"1415\",\"fragment\":true}";
    HttpResponse<String> ok = post(body, "X-Podpath-Request", "trace");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    TraceRequest sent = lastTrace.get();
    assertThat(sent).isNotNull();
    assertThat(sent.getSize()).isEqualTo(1415);
    assertThat(sent.getAllowFragmentation()).isTrue();
    HttpResponse<String> small = post(body.replace("1415", "67"), "X-Podpath-Request", "trace");
    assertThat(small.statusCode()).isEqualTo(400);
    assertThat(small.body()).contains("size: 67 is not in 68-65535");
  }

  @Test
  void aForeignHostNameIsRefused() throws Exception {
    // DNS rebinding: a page of another site whose name resolves to 127.0.0.1.
    assertThat(WebGuard.hostName("evil.example:7519")).isEqualTo("evil.example");
    assertThat(WebGuard.hostName("[::1]:7519")).isEqualTo("[::1]");
    assertThat(WebGuard.loopback("10.0.0.5")).isFalse();
    assertThat(WebGuard.loopback("127.0.0.1")).isTrue();
  }

  @Test
  void badTraceFormsAndUnknownPodsAnswerWithTheField() throws Exception {
    HttpResponse<String> bad =
        post("{\"source\":\"nope\",\"destination\":\"a/b\"}", "X-Podpath-Request", "trace");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("source: ");
    HttpResponse<String> port =
        post(
            "{\"source\":\"a/b\",\"destination\":\"a/c\",\"port\":\"99999\"}",
            "X-Podpath-Request",
            "t");
    assertThat(port.body()).contains("port: 99999 is not in 1-65535");
    HttpResponse<String> missing =
        post("{\"source\":\"a/b\",\"destination\":\"default/missing\"}", "X-Podpath-Request", "t");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("pod default/missing not found");
    assertThat(post("not json", "X-Podpath-Request", "t").statusCode()).isEqualTo(400);
  }

  @Test
  void healthGridCellAndMissingTunnelPairs() throws Exception {
    JsonObject grid = new JsonObject(get("/api/health").body());
    // RFC 3339 seconds, although the sweep carries nanoseconds.
    assertThat(grid.getString("finishedAt")).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(grid.getJsonArray("checks").getString(0)).isEqualTo("ip-forward");
    assertThat(grid.getJsonArray("nodes").getJsonObject(0).getJsonArray("s").getInteger(0))
        .isEqualTo(CheckStatus.CHECK_STATUS_FAIL_VALUE);
    assertThat(grid.getJsonArray("missingTunnels").encode())
        .isEqualTo("[[\"node1\",\"node3\"],[\"node1\",\"node2\"]]");
    JsonObject node = new JsonObject(get("/api/health/node?name=node2").body());
    assertThat(node.getJsonArray("checks").getJsonObject(0).getString("fix"))
        .isEqualTo("sysctl -w net.ipv4.ip_forward=1");
    assertThat(get("/api/health/node?name=node9").statusCode()).isEqualTo(404);
  }

  @Test
  void completionFromTheInventory() throws Exception {
    String items = get("/api/complete?q=web").body();
    assertThat(items).contains("svc/default/web").contains("default/web-1");
  }
}
