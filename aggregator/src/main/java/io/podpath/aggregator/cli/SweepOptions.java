package io.podpath.aggregator.cli;

import io.podpath.common.DurationText;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code serve}'s sweep and alerting flags. */
public final class SweepOptions {
  @Option(
      names = "--sweep-interval",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description =
          "Time between periodic sweeps, e.g. 30s, 5m; 0 = only on demand (default ${DEFAULT-VALUE})")
  Duration interval = Duration.ofMinutes(5);

  @Option(
      names = "--sweep-jitter",
      paramLabel = "FRACTION",
      defaultValue = "0.1",
      description = "Random spread of the interval, 0-1 (default ${DEFAULT-VALUE})")
  double jitter;

  @Option(
      names = "--sweep-concurrency",
      paramLabel = "N",
      defaultValue = "256",
      description =
          "Agent calls a sweep keeps in flight (RunChecks, and GetNode/Probe for the cluster"
              + " checks); no thread waits on a call (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--sweep-node-deadline",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Time a node's agent has to answer a sweep (default ${DEFAULT-VALUE})")
  Duration nodeDeadline = Duration.ofSeconds(30);

  @Option(
      names = "--dns-service",
      paramLabel = "NS/NAME",
      description =
          "The cluster DNS Service (repeatable; default kube-system/kube-dns, openshift-dns/dns-default)")
  List<String> dnsServices = new ArrayList<>();

  @Option(
      names = "--alert-pending-sweeps",
      paramLabel = "N",
      defaultValue = "2",
      description = "Consecutive bad sweeps before an alert fires (default ${DEFAULT-VALUE})")
  int pendingSweeps;

  @Option(
      names = "--alert-state",
      paramLabel = "FILE",
      description = "Where alert state and undelivered notifications persist across restarts")
  @Nullable Path alertState;

  @Option(
      names = "--alertmanager-url",
      paramLabel = "URL",
      description = "Alertmanager base URL (API v2), e.g. http://alertmanager:9093")
  @Nullable URI alertmanager;

  @Option(names = "--webhook-url", paramLabel = "URL", description = "A JSON webhook for alerts")
  @Nullable URI webhook;

  @Option(
      names = "--webhook-secret-file",
      paramLabel = "FILE",
      description = "HMAC-SHA256 key for the webhook's X-Podpath-Signature header")
  @Nullable Path webhookSecret;

  @Option(
      names = "--node-events",
      description = "Record alerts as Kubernetes Events on the Node (needs API access)")
  boolean nodeEvents;

  @Option(
      names = "--node-conditions",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Set the PodNetworkUnhealthy condition on each swept Node while any of its checks"
              + " fires (needs nodes/status patch; not with --snapshot;"
              + " --no-node-conditions to turn it off; default ${DEFAULT-VALUE})")
  boolean nodeConditions;

  @Option(
      names = "--alert-queue",
      paramLabel = "N",
      defaultValue = "1000",
      description =
          "Notifications each sink keeps while its receiver is down (default ${DEFAULT-VALUE})")
  int queueCapacity;

  /** "500ms", "30s", "5m", "1h", or "0" (io.podpath.common.DurationText). */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return DurationText.parse(value);
    }
  }
}
