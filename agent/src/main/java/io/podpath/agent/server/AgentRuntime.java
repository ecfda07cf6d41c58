package io.podpath.agent.server;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.agent.AgentContext;
import io.podpath.agent.checks.CheckSchedule;
import io.podpath.agent.checks.CheckService;
import io.podpath.agent.checks.ProbeScope;
import io.podpath.agent.conntrack.ConntrackTracer;
import io.podpath.agent.errors.AgentException;
import io.podpath.agent.exec.ProcessCommandRunner;
import io.podpath.agent.grpc.AgentGrpcService;
import io.podpath.agent.ip.IpTool;
import io.podpath.agent.netns.NetnsExecutor;
import io.podpath.agent.node.AgentNodeAccess;
import io.podpath.agent.node.NodeInspector;
import io.podpath.agent.ovsdb.FallbackOvsDatabase;
import io.podpath.agent.ovsdb.OvsdbClient;
import io.podpath.agent.ovsdb.ProtocolOvsDatabase;
import io.podpath.agent.ovsdb.Remote;
import io.podpath.agent.ovsdb.VsctlOvsDatabase;
import io.podpath.agent.pod.PodLocator;
import io.podpath.agent.trace.NodeTracer;
import io.podpath.agent.unixctl.ProtocolUnixctl;
import io.podpath.agent.unixctl.UnixctlSockets;
import io.podpath.proto.grpc.LenientUtf8;
import io.podpath.tls.PodpathTls;
import io.podpath.tls.TlsFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One running agent: every thread pool and server is started here BEFORE anything enters a
 * namespace (threads inherit their creator's namespace for good). Several can run in one JVM, one
 * per sandbox node, told apart by their rundir and host netns.
 */
public final class AgentRuntime implements AutoCloseable {
  private static final int NETNS_THREADS = 4;
  private static final int DRAIN_THREADS = 2 * NETNS_THREADS + 4;

  private final AgentContext context;
  private final NetnsExecutor netns;
  private final ProcessCommandRunner runner;
  private final OvsdbClient ovsdbClient;
  private final MetricsHttp http;
  private final GrpcThreads grpcThreads;
  private final Server grpc;
  private final NodeTracer tracer;
  private final Optional<CheckSchedule> schedule;

  private AgentRuntime(
      AgentContext context,
      NetnsExecutor netns,
      ProcessCommandRunner runner,
      OvsdbClient ovsdbClient,
      MetricsHttp http,
      GrpcThreads grpcThreads,
      Server grpc,
      NodeTracer tracer,
      Optional<CheckSchedule> schedule) {
    this.tracer = tracer;
    this.schedule = schedule;
    this.context = context;
    this.netns = netns;
    this.runner = runner;
    this.ovsdbClient = ovsdbClient;
    this.http = http;
    this.grpcThreads = grpcThreads;
    this.grpc = grpc;
  }

  public static AgentRuntime start(AgentOptions o) throws Exception {
    PrometheusMeterRegistry registry = AgentMetrics.registry();
    // The checks record into Micrometer's global registry; route it to /metrics.
    Metrics.addRegistry(registry);
    NetnsExecutor netns = new NetnsExecutor(NETNS_THREADS);
    ProcessCommandRunner runner = new ProcessCommandRunner(netns, DRAIN_THREADS, registry);
    AgentContext ctx = null;
    OvsdbClient ovsdb = null;
    MetricsHttp http = null;
    GrpcThreads grpcThreads = null;
    NodeTracer tracer = null;
    try {
      ovsdb = new OvsdbClient(Remote.unix(o.ovsRundir().resolve("db.sock")));
      Path rundir = o.ovsRundir();
      List<Path> ovnDirs = List.of(rundir, rundir.resolveSibling("ovn"));
      ctx =
          AgentContext.builder(o.nodeName(), rundir)
              .hostNetns(o.hostNetns())
              .runner(runner)
              .netns(netns)
              .ovsdb(
                  new FallbackOvsDatabase(
                      new ProtocolOvsDatabase(ovsdb),
                      new VsctlOvsDatabase(runner, rundir.resolve("db.sock"))))
              .vswitchd(new ProtocolUnixctl(() -> UnixctlSockets.find(rundir, "ovs-vswitchd")))
              .ovnController(new ProtocolUnixctl(() -> findIn(ovnDirs, "ovn-controller")))
              .ovnSb(o.ovnSb().map(Remote::parse))
              .ovnNb(o.ovnNb().map(Remote::parse))
              .ip(new IpTool(runner))
              .registry(registry)
              .cni(o.cni())
              .build();
      OvsdbClient readyClient = ovsdb;
      http = MetricsHttp.start(o.metricsListen(), registry, () -> readiness(readyClient));
      tracer = NodeTracer.forAgent(ctx);
      CheckService checks = CheckService.forAgent(ctx, registry, new ProbeScope(o.probeAllow()));
      AgentGrpcService service =
          new AgentGrpcService(
              new NodeInspector(ctx),
              new PodLocator(ctx),
              new ConntrackTracer(
                  ctx.nodeName(),
                  tracer,
                  ctx.vswitchd(),
                  new AgentNodeAccess(ctx, Duration.ofSeconds(5))),
              checks,
              o.maxConcurrentCalls());
      grpcThreads = new GrpcThreads();
      Server server =
          grpcThreads
              .apply(
                  NettyServerBuilder.forAddress(
                      new InetSocketAddress(o.listen().host(), o.listen().port()), credentials(o)))
              .addService(
                  LenientUtf8.wrap(
                      ServerInterceptors.intercept(
                          service, new MetricCollectingServerInterceptor(registry))))
              .build()
              .start();
      // Last: the first round may start at once, and every pool it uses exists by now.
      Optional<CheckSchedule> schedule =
          o.checkInterval().isZero()
              ? Optional.empty()
              : Optional.of(CheckSchedule.start(o.checkInterval(), checks, registry));
      return new AgentRuntime(
          ctx, netns, runner, ovsdb, http, grpcThreads, server, tracer, schedule);
    } catch (Exception | Error e) {
      if (tracer != null) {
        tracer.close();
      }
      if (grpcThreads != null) {
        grpcThreads.close();
      }
      if (http != null) {
        http.close();
      }
      if (ovsdb != null) {
        ovsdb.close();
      }
      runner.close();
      netns.close();
      throw e;
    }
  }

  static ServerCredentials credentials(AgentOptions o) throws IOException {
    if (o.tls().isEmpty()) {
      return InsecureServerCredentials.create();
    }
    AgentOptions.TlsFiles t = o.tls().get();
    // Reloads the files on rotation; client certificates must chain to the CA (and name the
    // aggregator when --tls-client-name is set).
    return PodpathTls.serverCredentials(new TlsFiles(t.cert(), t.key(), t.ca()), t.clientName());
  }

  private static Path findIn(List<Path> dirs, String daemon) {
    AgentException last = null;
    for (Path d : dirs) {
      try {
        return UnixctlSockets.find(d, daemon);
      } catch (AgentException e) {
        last = e;
      }
    }
    throw last;
  }

  /** Ready when the node's OVSDB answers. */
  private static Optional<String> readiness(OvsdbClient ovsdb) {
    try {
      ovsdb.listDbs(Duration.ofSeconds(2));
      return Optional.empty();
    } catch (AgentException e) {
      return Optional.of("not ready: " + e.getMessage());
    }
  }

  public AgentContext context() {
    return context;
  }

  public int grpcPort() {
    return grpc.getPort();
  }

  public int httpPort() {
    return http.port();
  }

  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  @Override
  public void close() {
    schedule.ifPresent(CheckSchedule::close);
    grpc.shutdown();
    try {
      grpc.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    grpc.shutdownNow();
    tracer.close();
    grpcThreads.close();
    http.close();
    ovsdbClient.close();
    runner.close();
    netns.close();
  }

  /** For callers that only have the options: which netns the node-level reads use. */
  public Optional<Path> hostNetns() {
    return context.hostNetns();
  }
}
