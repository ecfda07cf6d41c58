package io.podpath.aggregator.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.aggregator.agents.AgentDirectory;
import io.podpath.aggregator.inventory.Inventory;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Vert.x HTTP: {@code /healthz} (the process answers), {@code /readyz} (inventory synced and at
 * least one agent known) and {@code /metrics} (Prometheus). Others may add routes to {@link
 * #router()} before {@link #listen}.
 */
public final class HttpEndpoints implements AutoCloseable {
  private final Vertx vertx;
  private final Router router;
  private @Nullable HttpServer server;

  public HttpEndpoints(
      Vertx vertx, Inventory inventory, AgentDirectory agents, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.router = Router.router(vertx);
    router
        .get("/healthz")
        .handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end("ok\n"));
    router
        .get("/readyz")
        .blockingHandler(
            ctx -> {
              boolean synced = inventory.synced();
              int known = agents.all().size();
              JsonObject body =
                  new JsonObject()
                      .put("ready", synced && known > 0)
                      .put("inventory", inventory.description())
                      .put("inventorySynced", synced)
                      .put("agents", agents.description())
                      .put("agentsKnown", known);
              ctx.response()
                  .setStatusCode(synced && known > 0 ? 200 : 503)
                  .putHeader("content-type", "application/json")
                  .end(body.encode() + "\n");
            });
    router
        .get("/metrics")
        .blockingHandler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape()));
  }

  public Router router() {
    return router;
  }

  /** Binds and returns the bound port (useful with port 0). */
  public int listen(String host, int port) {
    try {
      server =
          vertx
              .createHttpServer()
              .requestHandler(router)
              .listen(port, host)
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      return server.actualPort();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding HTTP " + host + ":" + port, e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(
          "cannot bind HTTP " + host + ":" + port + ": " + cause.getMessage(), cause);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
