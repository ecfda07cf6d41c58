package io.podpath.aggregator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.alert.AlertSink;
import io.podpath.aggregator.alert.Alerting;
import io.podpath.aggregator.alert.AlertmanagerSink;
import io.podpath.aggregator.alert.NodeConditionSink;
import io.podpath.aggregator.alert.NodeEventSink;
import io.podpath.aggregator.alert.WebhookSink;
import io.podpath.aggregator.api.AggregatorGrpcService;
import io.podpath.aggregator.api.live.LiveGate;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.leader.LeaseLeadership;
import io.podpath.aggregator.sweep.ClusterContexts;
import io.podpath.aggregator.sweep.SweepMetrics;
import io.podpath.aggregator.sweep.SweepRunner;
import io.podpath.aggregator.sweep.SweepService;
import io.podpath.aggregator.util.Shown;
import io.podpath.common.Dns1123;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Builds the sweep subsystem (scheduler, alerting, sinks) from {@link SweepOptions}. */
final class SweepWiring {
  private SweepWiring() {}

  /** The AggregatorService with Sweep/Status; what it starts is added to {@code closeables}. */
  static AggregatorGrpcService service(
      SweepOptions o,
      GlobalOptions g,
      Inventory inventory,
      AgentClient agents,
      MeterRegistry registry,
      List<AutoCloseable> closeables,
      Optional<Function<LeaseLeadership.Work, AutoCloseable>> leadership,
      Optional<KubernetesClient> kube,
      LiveGate live) {
    validate(o);
    List<ObjectRef> dns =
        o.dnsServices.isEmpty()
            ? ClusterContexts.DEFAULT_DNS_SERVICES
            : o.dnsServices.stream().map(SweepWiring::ref).toList();
    SweepRunner runner =
        new SweepRunner(inventory, agents, new ClusterContexts(dns), o.concurrency, o.nodeDeadline);
    Optional<Alerting> alerting = alerting(o, g, registry, closeables, kube);
    SweepService sweeps = new SweepService(runner, alerting, new SweepMetrics(registry));
    closeables.add(sweeps);
    followLeadership(sweeps, o.interval, o.jitter, leadership, closeables);
    return new AggregatorGrpcService(inventory, agents, registry, Optional.of(sweeps), live);
  }

  /**
   * With several replicas only the Lease holder sweeps periodically and alerts: an on-demand sweep
   * on another replica answers its caller but writes no condition, Event or notification.
   */
  static void followLeadership(
      SweepService sweeps,
      Duration interval,
      double jitter,
      Optional<Function<LeaseLeadership.Work, AutoCloseable>> leadership,
      List<AutoCloseable> closeables) {
    if (leadership.isEmpty()) {
      if (!interval.isZero()) {
        sweeps.start(interval, jitter);
      }
      return;
    }
    sweeps.alertOwner(false);
    closeables.add(
        leadership
            .get()
            .apply(
                new LeaseLeadership.Work() {
                  @Override
                  public void startLeading() {
                    sweeps.alertOwner(true);
                    if (!interval.isZero()) {
                      sweeps.start(interval, jitter);
                    }
                  }

                  @Override
                  public void stopLeading() {
                    sweeps.alertOwner(false);
                    sweeps.stop();
                  }
                }));
  }

  /** Checks every sweep and alerting flag, naming the one that is wrong; starts nothing. */
  static void validate(SweepOptions o) {
    if (!(o.jitter >= 0 && o.jitter <= 1)) { // also rejects NaN
      throw new IllegalArgumentException("--sweep-jitter: must be within 0-1, got " + o.jitter);
    }
    if (o.concurrency < 1) {
      throw new IllegalArgumentException("--sweep-concurrency: must be >= 1, got " + o.concurrency);
    }
    if (o.pendingSweeps < 1) {
      throw new IllegalArgumentException(
          "--alert-pending-sweeps: must be >= 1, got " + o.pendingSweeps);
    }
    if (o.queueCapacity < 1) {
      throw new IllegalArgumentException("--alert-queue: must be >= 1, got " + o.queueCapacity);
    }
    if (o.nodeDeadline.isZero()) {
      throw new IllegalArgumentException("--sweep-node-deadline: must be positive");
    }
    httpUrl(o.alertmanager, "--alertmanager-url");
    httpUrl(o.webhook, "--webhook-url");
    if (o.webhook != null && o.webhookSecret == null) {
      throw new IllegalArgumentException("--webhook-url needs --webhook-secret-file");
    }
    o.dnsServices.forEach(SweepWiring::ref);
    if (o.alertState != null) {
      // Written only after the first sweep: check now that it can be, not in a log line later.
      Path dir = o.alertState.toAbsolutePath().getParent();
      while (dir != null && !Files.exists(dir)) {
        dir = dir.getParent();
      }
      if (Files.isDirectory(o.alertState) || dir == null || !Files.isDirectory(dir)) {
        throw new IllegalArgumentException(
            "--alert-state " + o.alertState + ": not a file in a writable directory");
      }
    }
  }

  private static void httpUrl(@Nullable URI u, String flag) {
    if (u == null) {
      return;
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
      throw new IllegalArgumentException(
          flag + ": expected an http(s)://HOST[:PORT] URL, got " + u);
    }
  }

  private static Optional<Alerting> alerting(
      SweepOptions o,
      GlobalOptions g,
      MeterRegistry registry,
      List<AutoCloseable> closeables,
      Optional<KubernetesClient> kube) {
    List<AlertSink> sinks = new ArrayList<>();
    if (o.alertmanager != null) {
      sinks.add(new AlertmanagerSink(o.alertmanager, ""));
    }
    if (o.webhook != null) {
      if (o.webhookSecret == null) {
        throw new IllegalArgumentException("--webhook-url needs --webhook-secret-file");
      }
      try {
        sinks.add(new WebhookSink(o.webhook, Files.readAllBytes(o.webhookSecret)));
      } catch (IOException e) {
        throw new IllegalArgumentException("--webhook-secret-file: " + e.getMessage());
      }
    }
    if (o.nodeEvents) {
      KubernetesClient client =
          kube.orElseGet(
              () -> {
                KubernetesClient own =
                    new KubernetesClientBuilder().withConfig(ServeWiring.kubeConfig(g)).build();
                closeables.add(own);
                return own;
              });
      sinks.add(new NodeEventSink(client));
    }
    // On by default, so only where Nodes come from the API (not from a --snapshot).
    if (o.nodeConditions && kube.isPresent()) {
      sinks.add(new NodeConditionSink(kube.get()));
    }
    if (sinks.isEmpty() && o.alertState == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          Alerting.start(
              o.pendingSweeps,
              o.alertState,
              sinks,
              o.queueCapacity,
              Duration.ofSeconds(1),
              Duration.ofMinutes(2),
              registry));
    } catch (IOException | RuntimeException e) {
      // A usage error (exit 2) naming the flag, not an internal failure.
      throw new IllegalArgumentException(
          "--alert-state " + o.alertState + ": " + e.getMessage(), e);
    }
  }

  private static ObjectRef ref(String s) {
    int slash = s.indexOf('/');
    if (slash <= 0
        || slash == s.length() - 1
        || !Dns1123.isLabel(s.substring(0, slash))
        || !Dns1123.isSubdomain(s.substring(slash + 1))) {
      throw new IllegalArgumentException(
          "--dns-service: expected NAMESPACE/NAME, got " + Shown.of(s));
    }
    return new ObjectRef(s.substring(0, slash), s.substring(slash + 1));
  }
}
