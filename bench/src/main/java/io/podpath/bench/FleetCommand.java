package io.podpath.bench;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.ProbeResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The fleet simulator: one process, one gRPC server listening on a port per simulated node (node i
 * on {@code base-port + i - 1}), serving AgentService from recorded replies with the recorded
 * delays. Prints "ready" when every port listens; runs until killed.
 */
@Command(name = "fleet", description = "Serve AgentService for N simulated nodes")
public final class FleetCommand implements Callable<Integer> {
  @Option(names = "--nodes", required = true)
  int nodes;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "A loopback address")
  String host;

  @Option(names = "--base-port", defaultValue = "20001")
  int basePort;

  @Option(names = "--fixtures", required = true, description = "Directory of recorded replies")
  Path fixtures;

  @Option(names = "--runchecks-delay-ms", required = true)
  double runChecksDelay;

  @Option(names = "--getnode-delay-ms", defaultValue = "0")
  double getNodeDelay;

  @Option(names = "--probe-delay-ms", defaultValue = "0")
  double probeDelay;

  @Option(names = "--tunnels", defaultValue = "MESH", description = "MESH or RECORDED")
  FleetService.Tunnels tunnels;

  @Mixin TlsOptions tls;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!host.startsWith("127.")) {
      throw new IllegalArgumentException("--host must be a loopback address, got " + host);
    }
    CheckReport report =
        Fixtures.read(fixtures.resolve(Fixtures.RUN_CHECKS), CheckReport.newBuilder()).build();
    NodeInfo info =
        Fixtures.read(fixtures.resolve(Fixtures.GET_NODE), NodeInfo.newBuilder()).build();
    Path probeFile = fixtures.resolve(Fixtures.PROBE);
    ProbeResult probe =
        Files.exists(probeFile)
            ? Fixtures.read(probeFile, ProbeResult.newBuilder()).build()
            : ProbeResult.newBuilder().setDelivered(true).setDetail("simulated").build();
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    FleetService service =
        new FleetService(
            report,
            info,
            probe,
            new FleetService.Delays(ms(runChecksDelay), ms(getNodeDelay), ms(probeDelay)),
            tunnels,
            nodes,
            timer);
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(
            new InetSocketAddress(host, Fleet.port(basePort, 1)), tls.server());
    for (int i = 2; i <= nodes; i++) {
      b.addListenAddress(new InetSocketAddress(host, Fleet.port(basePort, i)));
    }
    Server server =
        b.addService(ServerInterceptors.intercept(service, new NodeByPort(basePort)))
            .maxInboundMessageSize(64 << 20)
            .build()
            .start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.err.printf(
                      "fleet: RunChecks %d, GetNode %d, Probe %d calls%n",
                      service.runChecksCalls.get(),
                      service.getNodeCalls.get(),
                      service.probeCalls.get());
                  server.shutdownNow();
                  timer.shutdownNow();
                }));
    System.out.println("ready " + nodes + " nodes on " + host + ":" + basePort + "+");
    System.out.flush();
    server.awaitTermination();
    return 0;
  }

  private static Duration ms(double millis) {
    return Duration.ofNanos(Math.round(millis * 1e6));
  }
}
