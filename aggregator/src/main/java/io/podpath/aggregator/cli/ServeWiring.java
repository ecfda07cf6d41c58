package io.podpath.aggregator.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.BindableService;
import io.grpc.ChannelCredentials;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.aggregator.agents.AgentCredentials;
import io.podpath.aggregator.agents.AgentDirectory;
import io.podpath.aggregator.agents.AgentPreconnect;
import io.podpath.aggregator.agents.DiscoveredAgentDirectory;
import io.podpath.aggregator.agents.GrpcAgentClient;
import io.podpath.aggregator.agents.StaticAgentDirectory;
import io.podpath.aggregator.api.AggregatorGrpcService;
import io.podpath.aggregator.api.AggregatorServer;
import io.podpath.aggregator.api.CliListener;
import io.podpath.aggregator.api.HttpEndpoints;
import io.podpath.aggregator.api.live.LiveGate;
import io.podpath.aggregator.inventory.Fabric8Inventory;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.WatchedSnapshotInventory;
import io.podpath.aggregator.leader.LeaseLeadership;
import io.podpath.aggregator.web.WebUi;
import io.podpath.proto.grpc.HostPort;
import io.podpath.tls.TlsFiles;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Builds and starts the aggregator from {@code serve}'s flags; closes it in reverse order. */
final class ServeWiring implements AutoCloseable {
  /** How often a --snapshot file is looked at for changes (when the inventory is asked). */
  private static final Duration SNAPSHOT_LOOK_INTERVAL = Duration.ofSeconds(2);

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private @Nullable AggregatorServer grpc;

  static ServeWiring start(ServeCommand o, GlobalOptions g) {
    ServeWiring w = new ServeWiring();
    try {
      w.wire(o, g);
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
    return w;
  }

  private void wire(ServeCommand o, GlobalOptions g) {
    CliListener cliListener = cliListener(o);
    HostPort listen = cliListener.address();
    HostPort httpListen = HostPort.parse(o.httpListen);
    ChannelCredentials credentials =
        o.plaintext
            ? AgentCredentials.plaintext()
            : AgentCredentials.mtls(
                given(o.tlsCert, "--tls-cert"),
                given(o.tlsKey, "--tls-key"),
                given(o.tlsCa, "--tls-ca"),
                Optional.ofNullable(o.agentServerName));
    // Every flag is checked before anything starts.
    SweepWiring.validate(o.sweep);
    Optional<AgentDirectory> staticAgents =
        o.agents.isEmpty() ? Optional.empty() : Optional.of(staticAgents(o.agents));
    Optional<LeaseLeadership.LeaseRef> lease =
        o.leaderElectLease == null
            ? Optional.empty()
            : Optional.of(
                LeaseLeadership.LeaseRef.parse("--leader-elect-lease", o.leaderElectLease));
    if (lease.isPresent() && o.snapshot != null) {
      throw new IllegalArgumentException(
          "--leader-elect-lease needs the Kubernetes API and cannot be used with --snapshot");
    }
    if (o.snapshot != null && !Files.isReadable(o.snapshot)) {
      throw new IllegalArgumentException("--snapshot: cannot read " + o.snapshot);
    }
    // Vert.x and every pool start before anything else (see docs/platform-facts.md on threads and
    // netns).
    Vertx vertx = Vertx.vertx();
    closeables.add(vertx::close);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    closeables.add(registry::close);
    closeables.add(ServerMetrics.bind(registry, "aggregator"));

    Inventory inventory;
    Optional<KubernetesClient> kube = Optional.empty();
    if (o.snapshot != null) {
      inventory = WatchedSnapshotInventory.load(o.snapshot, SNAPSHOT_LOOK_INTERVAL);
    } else {
      KubernetesClient client = new KubernetesClientBuilder().withConfig(kubeConfig(g)).build();
      closeables.add(client);
      kube = Optional.of(client);
      Fabric8Inventory live = new Fabric8Inventory(client).start();
      closeables.add(live);
      inventory = live;
    }
    AgentDirectory directory =
        staticAgents.isPresent()
            ? staticAgents.get()
            : new DiscoveredAgentDirectory(
                inventory,
                o.agentNamespace,
                DiscoveredAgentDirectory.parseSelector(o.agentSelector),
                o.agentPort);
    GrpcAgentClient agents =
        new GrpcAgentClient(
            directory, credentials, Duration.ofMillis(o.agentTimeoutMillis), registry);
    closeables.add(agents);

    String identity = leaderIdentity(o);
    Optional<KubernetesClient> leaseClient = kube;
    Optional<Function<LeaseLeadership.Work, AutoCloseable>> leadership =
        lease.map(
            ref -> {
              // --leader-elect-lease with --snapshot was refused above: the API client is there.
              KubernetesClient client = leaseClient.orElseThrow();
              return work ->
                  new LeaseLeadership(client, ref, identity, LeaseLeadership.Timings.DEFAULT, work)
                      .start();
            });
    AggregatorGrpcService service =
        SweepWiring.service(
            o.sweep,
            g,
            inventory,
            agents,
            registry,
            closeables,
            leadership,
            kube,
            LiveGate.perMinute(o.livePerMinute, registry));
    List<BindableService> services = List.of(service);
    AggregatorServer server = new AggregatorServer(cliListener, services).start();
    grpc = server;
    closeables.add(server);
    HttpEndpoints http = new HttpEndpoints(vertx, inventory, directory, registry);
    if (o.web) {
      WebUi.mount(http.router(), service, inventory);
    }
    int httpPort = http.listen(httpListen.host(), httpListen.port());
    closeables.add(http);
    // after the listeners: readiness never waits for the agents' handshakes
    AgentPreconnect.start(agents, directory.all(), o.agentPreconnect);
    System.err.printf(
        "podpath aggregator: gRPC %s:%d (%s), HTTP %s:%d; inventory: %s; agents: %s%n",
        listen.host(),
        server.port(),
        cliListener instanceof CliListener.Mtls ? "mTLS" : "plaintext, loopback",
        httpListen.host(),
        httpPort,
        inventory.description(),
        directory.description());
  }

  /** --listen and --cli-tls-*: checked (and the TLS files loaded) before anything starts. */
  private static CliListener cliListener(ServeCommand o) {
    HostPort listen;
    try {
      listen = HostPort.parseIp(o.listen);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--listen: " + e.getMessage(), e);
    }
    Optional<TlsFiles> tls =
        o.cliTlsCert == null
            ? Optional.empty()
            : Optional.of(
                new TlsFiles(
                    o.cliTlsCert,
                    given(o.cliTlsKey, "--cli-tls-key"),
                    given(o.cliTlsCa, "--cli-tls-ca")));
    return CliListener.of(listen, tls, Optional.ofNullable(o.cliTlsClientName));
  }

  /** Names the flag: the usage error is one line now, not the whole usage that listed it. */
  private static AgentDirectory staticAgents(List<String> agents) {
    try {
      return StaticAgentDirectory.parse(agents);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--agent: " + e.getMessage(), e);
    }
  }

  /** serve checked that its TLS flags come together before wiring: one missing here is a bug. */
  private static Path given(@Nullable Path file, String flag) {
    if (file == null) {
      throw new IllegalStateException(flag + " is missing though serve checked its TLS flags");
    }
    return file;
  }

  /** The user's kubeconfig (--kubeconfig, --context), as fabric8 reads it. */
  static Config kubeConfig(GlobalOptions g) {
    String context = g.context().orElse(null);
    Optional<Path> file = g.kubeconfig();
    return file.isPresent()
        ? Config.fromKubeconfig(context, file.get().toFile())
        : Config.autoConfigure(context);
  }

  private static String leaderIdentity(ServeCommand o) {
    if (o.leaderIdentity != null && !o.leaderIdentity.isBlank()) {
      return o.leaderIdentity;
    }
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "podpath-aggregator-" + ProcessHandle.current().pid();
    }
  }

  /** The CLI port actually bound (an ephemeral --listen port in tests). */
  int grpcPort() {
    return started().port();
  }

  void awaitTermination() throws InterruptedException {
    started().awaitTermination();
  }

  /** start() returns only once wire() set the server. */
  private AggregatorServer started() {
    AggregatorServer server = grpc;
    if (server == null) {
      throw new IllegalStateException("the aggregator's gRPC server is not started");
    }
    return server;
  }

  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        System.err.println("podpath: while stopping: " + e.getMessage());
      }
    }
    closeables.clear();
  }
}
