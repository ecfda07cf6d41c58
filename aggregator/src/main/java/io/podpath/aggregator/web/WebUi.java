package io.podpath.aggregator.web;

import io.grpc.StatusRuntimeException;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.inventory.ServiceInfo;
import io.podpath.aggregator.render.OutputFormat;
import io.podpath.aggregator.render.Style;
import io.podpath.aggregator.render.TraceRenderer;
import io.podpath.aggregator.render.TraceSvg;
import io.podpath.proto.v1.AggregatorServiceGrpc.AggregatorServiceImplBase;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.StatusRequest;
import io.podpath.proto.v1.SweepResult;
import io.podpath.proto.v1.TraceRequest;
import io.podpath.proto.v1.TraceResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The read-only web page on the aggregator's HTTP port: the page and its assets (inside the jar),
 * and a small JSON API over the same service the CLI calls: {@code GET /api/health} (last sweep as
 * a grid), {@code GET /api/health/node?name=} (a node's evidence and fixes), {@code GET
 * /api/complete?q=} (pods, Services, IPs from the inventory) and {@code POST /api/trace} (the trace
 * as JSON and as the same SVG as {@code podpath trace -o svg}).
 */
public final class WebUi {
  static final long TRACE_TIMEOUT_SECONDS = 60;
  static final int COMPLETIONS = 20;
  private static final Map<String, String> ASSETS =
      Map.of(
          "/", "index.html",
          "/app.js", "app.js",
          "/health.js", "health.js",
          "/trace.js", "trace.js",
          "/grid.js", "grid.js",
          "/style.css", "style.css");

  private final AggregatorServiceImplBase service;
  private final Inventory inventory;

  private WebUi(AggregatorServiceImplBase service, Inventory inventory) {
    this.service = service;
    this.inventory = inventory;
  }

  /** Adds the page and its API to {@code router}. */
  public static void mount(Router router, AggregatorServiceImplBase service, Inventory inventory) {
    WebUi ui = new WebUi(service, inventory);
    router.route("/").handler(WebGuard::handle);
    router.route("/api/*").handler(WebGuard::handle);
    ASSETS.forEach(
        (path, file) -> {
          byte[] body = resource(file);
          String type = type(file);
          if (!path.equals("/")) {
            router.route(path).handler(WebGuard::handle);
          }
          router
              .get(path)
              .handler(
                  ctx -> ctx.response().putHeader("content-type", type).end(Buffer.buffer(body)));
        });
    router.get("/api/health").blockingHandler(ui::health);
    router.get("/api/health/node").blockingHandler(ui::node);
    router.get("/api/complete").handler(ui::complete);
    router.post("/api/trace").handler(BodyHandler.create().setBodyLimit(16 * 1024));
    router.post("/api/trace").blockingHandler(ui::trace, false);
  }

  private void health(RoutingContext ctx) {
    try {
      SweepResult r = Unary.call(service::status, StatusRequest.getDefaultInstance(), 10);
      json(ctx, 200, HealthJson.grid(r));
    } catch (StatusRuntimeException e) {
      error(ctx, Unary.http(e), e.getStatus().getDescription());
    }
  }

  private void node(RoutingContext ctx) {
    String name = ctx.request().getParam("name", "");
    try {
      SweepResult r = Unary.call(service::status, StatusRequest.getDefaultInstance(), 10);
      for (NodeReport n : r.getNodesList()) {
        if (n.getNode().equals(name)) {
          json(ctx, 200, HealthJson.node(n));
          return;
        }
      }
      error(ctx, 404, "node " + name + " is not in the last sweep");
    } catch (StatusRuntimeException e) {
      error(ctx, Unary.http(e), e.getStatus().getDescription());
    }
  }

  private void complete(RoutingContext ctx) {
    String q = ctx.request().getParam("q", "").trim().toLowerCase(Locale.ROOT);
    JsonArray out = new JsonArray();
    var index = inventory.current();
    for (ServiceInfo s : index.allServices()) {
      String v = "svc/" + s.ref();
      if (out.size() < COMPLETIONS
          && (v.contains(q) || s.clusterIps().stream().anyMatch(ip -> ip.startsWith(q)))) {
        out.add(new JsonObject().put("value", v).put("hint", String.join(" ", s.clusterIps())));
      }
    }
    for (PodInfo p : index.allPods()) {
      if (out.size() >= COMPLETIONS) {
        break;
      }
      String v = p.ref().toString();
      if (v.contains(q) || p.ips().stream().anyMatch(ip -> ip.startsWith(q))) {
        out.add(
            new JsonObject()
                .put("value", v)
                .put("hint", String.join(" ", p.ips()) + " on " + p.node()));
      }
    }
    if (out.isEmpty() && !q.isEmpty() && q.matches("[0-9a-f.:]+")) {
      out.add(new JsonObject().put("value", "ip:" + q).put("hint", "an address"));
    }
    json(ctx, 200, new JsonObject().put("items", out));
  }

  private void trace(RoutingContext ctx) {
    TraceRequest request;
    try {
      request = TraceForm.parse(ctx.body().asJsonObject());
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      error(ctx, 400, Objects.requireNonNullElse(e.getMessage(), e.toString()));
      return;
    }
    try {
      TraceResult r = Unary.call(service::trace, request, TRACE_TIMEOUT_SECONDS);
      String json =
          TraceRenderer.render(r, OutputFormat.json, request.getIncludeRaw(), Style.PLAIN);
      json(
          ctx,
          200,
          new JsonObject().put("result", new JsonObject(json)).put("svg", TraceSvg.render(r)));
    } catch (StatusRuntimeException e) {
      error(ctx, Unary.http(e), e.getStatus().getDescription());
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }

  private static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message == null ? "failed" : message));
  }

  static String type(String file) {
    if (file.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (file.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "text/html; charset=utf-8";
  }

  static byte[] resource(String file) {
    try (InputStream in = WebUi.class.getResourceAsStream("static/" + file)) {
      if (in == null) {
        throw new IllegalStateException("web asset missing from the jar: " + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
