package io.podpath.aggregator.reliability;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.aggregator.agents.AgentCredentials;
import io.podpath.aggregator.agents.GrpcAgentClient;
import io.podpath.aggregator.agents.StaticAgentDirectory;
import io.podpath.aggregator.alert.Alerting;
import io.podpath.aggregator.api.AggregatorGrpcService;
import io.podpath.aggregator.api.AggregatorServer;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.sweep.ClusterContexts;
import io.podpath.aggregator.sweep.SweepMetrics;
import io.podpath.aggregator.sweep.SweepRunner;
import io.podpath.aggregator.sweep.SweepService;
import io.podpath.proto.grpc.HostPort;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.testkit.Node;
import io.podpath.testkit.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The aggregator as {@code podpath serve} wires it (snapshot inventory from the sandbox's manifest,
 * static agents over mTLS with the sandbox's aggregator certificate, sweep service with alerting,
 * gRPC server) but inside the test JVM: aggregator/target/podpath.jar is only packaged after this
 * module's tests, so the sandbox cannot start it during {@code mvn verify}. The agents are the
 * sandbox's real agent processes.
 */
final class InProcessAggregator implements AutoCloseable {
  static final Duration NODE_DEADLINE = Duration.ofSeconds(30);

  final Alerting alerting;
  final SweepService sweeps;
  private final GrpcAgentClient agents;
  private final AggregatorServer server;
  private final ManagedChannel channel;

  InProcessAggregator(Sandbox sandbox) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SnapshotInventory inventory = SnapshotInventory.load(sandbox.manifest());
    Path tls = sandbox.tlsDir();
    agents =
        new GrpcAgentClient(
            StaticAgentDirectory.parse(
                sandbox.nodes().stream()
                    .map(Node::name)
                    .map(n -> n + "=" + sandbox.agentAddress(n))
                    .toList()),
            AgentCredentials.mtls(
                tls.resolve("aggregator.crt"),
                tls.resolve("aggregator.key"),
                tls.resolve("ca.crt")),
            Duration.ofSeconds(30),
            registry);
    // pending for 1 sweep: an unreachable agent fires at once (no sinks: the engine is watched).
    alerting =
        Alerting.start(
            1, null, List.of(), 100, Duration.ofSeconds(1), Duration.ofSeconds(5), registry);
    sweeps =
        new SweepService(
            new SweepRunner(
                inventory,
                agents,
                new ClusterContexts(ClusterContexts.DEFAULT_DNS_SERVICES),
                4,
                NODE_DEADLINE),
            Optional.of(alerting),
            new SweepMetrics(registry));
    server =
        new AggregatorServer(
                new HostPort("127.0.0.1", 0),
                List.of(new AggregatorGrpcService(inventory, agents, registry, sweeps)))
            .start();
    channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.port(), InsecureChannelCredentials.create())
            .build();
  }

  AggregatorServiceGrpc.AggregatorServiceBlockingStub stub() {
    return AggregatorServiceGrpc.newBlockingStub(channel);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.close();
    sweeps.close();
    alerting.close();
    agents.close();
  }
}
