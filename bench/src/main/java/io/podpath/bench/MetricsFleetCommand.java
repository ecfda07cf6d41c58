package io.podpath.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.proto.v1.CheckReport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fleet simulator's /metrics: N simulated agents on the Prometheus path, each its own registry
 * ({@link SimulatedAgentMetrics}), served by one HTTP server at {@code /nodes/<i>/metrics} (a
 * Prometheus target per node sets {@code __metrics_path__}). Prints "ready" when it listens; runs
 * until killed.
 */
@Command(
    name = "metrics-fleet",
    description = "Serve the /metrics of N simulated agents (their real check metrics)")
public final class MetricsFleetCommand implements Callable<Integer> {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  @Option(names = "--nodes", required = true)
  int nodes;

  @Option(names = "--listen", defaultValue = "127.0.0.1:7690", description = "Loopback IP:PORT")
  String listen;

  @Option(names = "--fixtures", required = true, description = "Directory of recorded replies")
  Path fixtures;

  @Override
  public Integer call() throws IOException, InterruptedException {
    int colon = listen.lastIndexOf(':');
    String host = listen.substring(0, colon);
    if (!host.startsWith("127.")) {
      throw new IllegalArgumentException("--listen must be a loopback address, got " + listen);
    }
    CheckReport report =
        Fixtures.read(fixtures.resolve(Fixtures.RUN_CHECKS), CheckReport.newBuilder()).build();
    List<PrometheusMeterRegistry> agents = new ArrayList<>(nodes);
    for (int i = 0; i < nodes; i++) {
      agents.add(SimulatedAgentMetrics.of(report));
    }
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress(host, Integer.parseInt(listen.substring(colon + 1))), 256);
    ExecutorService workers = Executors.newFixedThreadPool(4);
    server.createContext("/nodes/", ex -> serve(ex, agents));
    server.setExecutor(workers);
    server.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop(0);
                  workers.shutdownNow();
                }));
    System.out.println("ready " + nodes + " agents' /metrics on http://" + listen + "/nodes/");
    System.out.flush();
    Thread.currentThread().join();
    return 0;
  }

  private static void serve(HttpExchange ex, List<PrometheusMeterRegistry> agents)
      throws IOException {
    try (ex) {
      int node = node(ex.getRequestURI().getPath());
      if (node < 1 || node > agents.size()) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = agents.get(node - 1).scrape().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", PROMETHEUS_TEXT);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** 1-based node of /nodes/<i>/metrics; 0 for any other path. */
  static int node(String path) {
    String[] p = path.split("/");
    if (p.length != 4 || !p[1].equals("nodes") || !p[3].equals("metrics")) {
      return 0;
    }
    try {
      return Integer.parseInt(p[2]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
