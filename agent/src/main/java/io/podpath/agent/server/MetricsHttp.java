package io.podpath.agent.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.proto.grpc.HostPort;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The JDK's HTTP server (module jdk.httpserver): /metrics (Prometheus text), /healthz (process),
 * /readyz (OVSDB reachable). It replaces Vert.x here: a second Netty and Vert.x core cost the agent
 * ~1,000 loaded classes (~15 MiB RSS) for three tiny endpoints.
 */
final class MetricsHttp implements AutoCloseable {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String ALLOWED = "GET, HEAD";

  /*
   * The JDK server hands a connection to a worker as soon as it is readable, and the worker then
   * blocks until the whole request head has arrived: a client that sends half a request holds a
   * worker. So the pool is wide (threads are made on demand and die after 30 s idle, with small
   * stacks), no queue sits in front of it, and a request head must arrive within 2 s: holding
   * every worker takes more than WORKERS connections renewed every 2 s, and a connection past
   * MAX_CONNECTIONS is closed at once. These are JVM-wide properties read once when the server
   * class initialises; an operator's -D wins.
   */
  static final int WORKERS = 128;
  static final int MAX_CONNECTIONS = 1024;
  private static final long WORKER_STACK = 256 << 10;

  static {
    System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", "2");
    System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", "10");
    System.getProperties()
        .putIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
  }

  private final HttpServer server;
  private final ThreadPoolExecutor workers;

  /** A readiness probe: empty when ready, else why not. */
  interface Readiness extends Supplier<Optional<String>> {}

  private MetricsHttp(HttpServer server, ThreadPoolExecutor workers) {
    this.server = server;
    this.workers = workers;
  }

  static MetricsHttp start(HostPort listen, PrometheusMeterRegistry registry, Readiness ready)
      throws IOException {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            0,
            WORKERS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              // made by the server's dispatcher thread, which never enters another netns
              Thread t = new Thread(null, r, "metrics-http-" + n.getAndIncrement(), WORKER_STACK);
              t.setDaemon(true);
              return t;
            });
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 0);
    } catch (IOException e) {
      workers.shutdownNow();
      throw new IOException("--metrics-listen " + listen + ": " + e.getMessage(), e);
    }
    server.createContext("/", exchange -> serve(exchange, registry, ready));
    server.setExecutor(workers);
    server.start();
    return new MetricsHttp(server, workers);
  }

  private static void serve(HttpExchange ex, PrometheusMeterRegistry registry, Readiness ready)
      throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (!path.equals("/metrics") && !path.equals("/healthz") && !path.equals("/readyz")) {
        reply(ex, 404, TEXT, "not found: " + path + " (try /metrics, /healthz, /readyz)\n");
        return;
      }
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", ALLOWED);
        reply(ex, 405, TEXT, "method " + method + " not allowed on " + path + "\n");
        return;
      }
      switch (path) {
        case "/metrics" -> reply(ex, 200, PROMETHEUS_TEXT, registry.scrape());
        case "/healthz" -> reply(ex, 200, TEXT, "ok\n");
        default -> {
          Optional<String> why = readiness(ready);
          reply(ex, why.isEmpty() ? 200 : 503, TEXT, why.orElse("ready") + "\n");
        }
      }
    }
  }

  private static Optional<String> readiness(Readiness ready) {
    try {
      return ready.get();
    } catch (RuntimeException e) {
      return Optional.of("not ready: " + e);
    }
  }

  private static void reply(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    boolean head = ex.getRequestMethod().equals("HEAD");
    // -1: no body (HEAD); otherwise a fixed Content-Length.
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    // Lets a scrape in flight finish (at most 1 s), then stops the dispatcher and the workers.
    server.stop(1);
    workers.shutdownNow();
  }
}
