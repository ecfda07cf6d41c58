package io.podpath.agent.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Vert.x HTTP: /metrics (Prometheus), /healthz (process), /readyz (OVSDB reachable). */
final class MetricsHttp implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;

  /** A readiness probe: null when ready, else why not. */
  interface Readiness extends Supplier<String> {}

  private MetricsHttp(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  static MetricsHttp start(HostPort listen, PrometheusMeterRegistry registry, Readiness ready)
      throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    Router router = Router.router(vertx);
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape()));
    router.get("/healthz").handler(ctx -> ctx.response().end("ok\n"));
    router
        .get("/readyz")
        .handler(
            ctx ->
                ctx.vertx()
                    .executeBlocking(ready::get)
                    .onComplete(
                        ar -> {
                          String why = ar.succeeded() ? ar.result() : String.valueOf(ar.cause());
                          if (why == null) {
                            ctx.response().end("ready\n");
                          } else {
                            ctx.response().setStatusCode(503).end(why + "\n");
                          }
                        }));
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(listen.port(), listen.host())
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return new MetricsHttp(vertx, server);
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // shutting down anyway
    }
  }
}
