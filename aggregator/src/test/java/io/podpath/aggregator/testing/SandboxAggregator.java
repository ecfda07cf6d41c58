package io.podpath.aggregator.testing;

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
import io.podpath.aggregator.api.live.LiveGate;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.sweep.ClusterContexts;
import io.podpath.aggregator.sweep.SweepMetrics;
import io.podpath.aggregator.sweep.SweepRunner;
import io.podpath.aggregator.sweep.SweepService;
import io.podpath.proto.grpc.HostPort;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.testkit.Node;
import io.podpath.testkit.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The aggregator as {@code podpath serve} wires it (snapshot inventory from the sandbox's manifest,
 * static agents over mTLS with the sandbox's aggregator certificate, sweeps, optional alerting, the
 * gRPC server on loopback) but inside the test JVM: aggregator/target/podpath.jar is only packaged
 * after this module's tests, so the sandbox cannot start it during {@code mvn verify}. The agents
 * are the sandbox's real agent processes. One wiring for every sandbox test of this module.
 */
public final class SandboxAggregator implements AutoCloseable {
  /** How long one agent call of a sweep may take; also the agent client's default deadline. */
  public static final Duration NODE_DEADLINE = Duration.ofSeconds(30);

  private static final int LIVE_PER_MINUTE = 6000;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SnapshotInventory inventory;
  private final GrpcAgentClient agents;
  private final Optional<Alerting> alerting;
  private final SweepService sweeps;
  private final AggregatorGrpcService service;
  private final AggregatorServer server;
  private final ManagedChannel channel;

  private SandboxAggregator(Sandbox sandbox, boolean withAlerting, Path manifest) {
    inventory = SnapshotInventory.load(manifest);
    agents = new GrpcAgentClient(directory(sandbox), credentials(sandbox), NODE_DEADLINE, registry);
    alerting = withAlerting ? Optional.of(alerting(registry)) : Optional.empty();
    sweeps =
        new SweepService(
            new SweepRunner(
                inventory,
                agents,
                new ClusterContexts(ClusterContexts.DEFAULT_DNS_SERVICES),
                4,
                NODE_DEADLINE),
            alerting,
            new SweepMetrics(registry));
    // Live traces unthrottled in effect: the matrix sends one per scenario back to back.
    service =
        new AggregatorGrpcService(
            inventory,
            agents,
            registry,
            Optional.of(sweeps),
            LiveGate.perMinute(LIVE_PER_MINUTE, registry));
    server = new AggregatorServer(new HostPort("127.0.0.1", 0), List.of(service)).start();
    channel = Grpc.newChannelBuilder(address(), InsecureChannelCredentials.create()).build();
  }

  // pending for 1 sweep: an unreachable agent fires at once (no sinks: tests watch the engine)
  private static Alerting alerting(SimpleMeterRegistry registry) {
    try {
      return Alerting.start(
          1, null, List.of(), 100, Duration.ofSeconds(1), Duration.ofSeconds(5), registry);
    } catch (IOException e) {
      throw new UncheckedIOException("the alert engine did not start", e);
    }
  }

  /** Starts the aggregator for {@code sandbox}, without alerting. */
  public static SandboxAggregator start(Sandbox sandbox) {
    return new SandboxAggregator(sandbox, false, sandbox.manifest());
  }

  /**
   * Starts the aggregator for {@code sandbox} with the cluster as {@code manifest} writes it (the
   * sandbox's with objects the sandbox cannot make, e.g. a hostNetwork pod), without alerting.
   */
  public static SandboxAggregator start(Sandbox sandbox, Path manifest) {
    return new SandboxAggregator(sandbox, false, manifest);
  }

  /** Starts the aggregator for {@code sandbox} with an alert engine fed by its sweeps. */
  public static SandboxAggregator startWithAlerting(Sandbox sandbox) {
    return new SandboxAggregator(sandbox, true, sandbox.manifest());
  }

  /** A channel straight to one node's agent, over mTLS with the name that node's cert carries. */
  public static ManagedChannel agentChannel(Sandbox sandbox, String node) {
    Path tls = sandbox.tlsDir();
    return Grpc.newChannelBuilder(
            sandbox.agentAddress(node),
            AgentCredentials.mtls(
                tls.resolve("aggregator.crt"),
                tls.resolve("aggregator.key"),
                tls.resolve("ca.crt"),
                Optional.of(node)))
        .build();
  }

  private static StaticAgentDirectory directory(Sandbox sandbox) {
    return StaticAgentDirectory.parse(
        sandbox.nodes().stream()
            .map(Node::name)
            .map(n -> n + "=" + sandbox.agentAddress(n))
            .toList());
  }

  private static io.grpc.ChannelCredentials credentials(Sandbox sandbox) {
    Path tls = sandbox.tlsDir();
    return AgentCredentials.mtls(
        tls.resolve("aggregator.crt"), tls.resolve("aggregator.key"), tls.resolve("ca.crt"));
  }

  /** host:port of the aggregator's gRPC server (what {@code podpath --aggregator} takes). */
  public String address() {
    return "127.0.0.1:" + server.port();
  }

  public AggregatorServiceGrpc.AggregatorServiceBlockingStub stub() {
    return AggregatorServiceGrpc.newBlockingStub(channel);
  }

  public SnapshotInventory inventory() {
    return inventory;
  }

  public GrpcAgentClient agents() {
    return agents;
  }

  public SweepService sweeps() {
    return sweeps;
  }

  public AggregatorGrpcService service() {
    return service;
  }

  /** The alert engine; present only when started {@link #startWithAlerting with alerting}. */
  public Alerting alerting() {
    return alerting.orElseThrow(() -> new IllegalStateException("started without alerting"));
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.close();
    sweeps.close();
    alerting.ifPresent(Alerting::close);
    agents.close();
  }
}
