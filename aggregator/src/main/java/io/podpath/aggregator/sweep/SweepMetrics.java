package io.podpath.aggregator.sweep;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.SweepResult;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sweep metrics: {@code podpath_sweep_duration_seconds}, {@code podpath_sweep_check_status} (1 for
 * the (node, check)'s current status, 0 for the others) and {@code
 * podpath_sweep_check_duration_seconds} (count and sum of the durations the agent measured; {@code
 * _max}: the last sweep's). Tags: node, check, status — bounded (nodes × check ids × statuses).
 *
 * <p>The per-check series are a collector over one small record per (node, check), built at scrape
 * time: as Micrometer meters they were ~60 objects per node and check (a gauge per status and a
 * timer), ~130 MiB of heap at 5,000 nodes. They are exposed through a Prometheus registry only (the
 * one `podpath serve` scrapes).
 */
public final class SweepMetrics {
  public static final String CLUSTER_NODE = "cluster";
  static final List<CheckStatus> STATUSES =
      List.of(
          CheckStatus.CHECK_STATUS_OK,
          CheckStatus.CHECK_STATUS_WARN,
          CheckStatus.CHECK_STATUS_FAIL,
          CheckStatus.CHECK_STATUS_UNKNOWN,
          CheckStatus.CHECK_STATUS_NOT_APPLICABLE,
          CheckStatus.CHECK_STATUS_UNREACHABLE);

  private final MeterRegistry registry;

  /** (node, check) → its series, in first-seen order; guarded by this. */
  private final Map<String, Series> series = new LinkedHashMap<>();

  private static final class Series {
    final String node;
    final String check;
    CheckStatus status;
    long count;
    double sumSeconds;
    double lastSeconds;

    Series(String node, String check) {
      this.node = node;
      this.check = check;
    }
  }

  public SweepMetrics(MeterRegistry registry) {
    this.registry = registry;
    if (registry instanceof PrometheusMeterRegistry p) {
      p.getPrometheusRegistry().register(collector());
    }
  }

  public void record(SweepResult r) {
    Duration d =
        Duration.between(Instant.parse(r.getStartedAt()), Instant.parse(r.getFinishedAt()));
    Timer.builder("podpath.sweep.duration")
        .description("Time one sweep took")
        .register(registry)
        .record(d);
    synchronized (this) {
      for (NodeReport n : r.getNodesList()) {
        n.getChecksList().forEach(c -> check(n.getNode(), c));
      }
      r.getClusterChecksList().forEach(c -> check(CLUSTER_NODE, c));
    }
  }

  private void check(String node, CheckResult c) {
    Series s = series.computeIfAbsent(node + "\n" + c.getId(), k -> new Series(node, c.getId()));
    s.status = c.getStatus();
    s.lastSeconds = c.getDurationMicros() / 1e6;
    s.sumSeconds += s.lastSeconds;
    s.count++;
  }

  private MultiCollector collector() {
    return new MultiCollector() {
      @Override
      public MetricSnapshots collect() {
        GaugeSnapshot.Builder status =
            GaugeSnapshot.builder()
                .name("podpath_sweep_check_status")
                .help("1 for the current status of a check on a node, 0 for others");
        SummarySnapshot.Builder duration =
            SummarySnapshot.builder()
                .name("podpath_sweep_check_duration_seconds")
                .help("Check duration as the agent measured it");
        GaugeSnapshot.Builder max =
            GaugeSnapshot.builder()
                .name("podpath_sweep_check_duration_seconds_max")
                .help("Check duration as the agent measured it, in the last sweep");
        synchronized (SweepMetrics.this) {
          for (Series s : series.values()) {
            Labels nc = Labels.of("check", s.check, "node", s.node);
            for (CheckStatus st : STATUSES) {
              status.dataPoint(
                  GaugeSnapshot.GaugeDataPointSnapshot.builder()
                      .labels(nc.add("status", statusName(st)))
                      .value(st == s.status ? 1 : 0)
                      .build());
            }
            duration.dataPoint(
                SummarySnapshot.SummaryDataPointSnapshot.builder()
                    .labels(nc)
                    .count(s.count)
                    .sum(s.sumSeconds)
                    .build());
            max.dataPoint(
                GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(nc)
                    .value(s.lastSeconds)
                    .build());
          }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(status.build());
        out.add(duration.build());
        out.add(max.build());
        return new MetricSnapshots(out);
      }

      // Declared so the registry rejects a second collector of the same names at registration.
      @Override
      public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
        return List.of(
            MetricFamilyDescriptor.gauge("podpath_sweep_check_status")
                .labelNames("check", "node", "status")
                .build(),
            MetricFamilyDescriptor.summary("podpath_sweep_check_duration_seconds")
                .labelNames("check", "node")
                .build(),
            MetricFamilyDescriptor.gauge("podpath_sweep_check_duration_seconds_max")
                .labelNames("check", "node")
                .build());
      }
    };
  }

  /** "ok", "warn", "fail", "unknown", "not_applicable", "unreachable". */
  public static String statusName(CheckStatus s) {
    return s.name().replace("CHECK_STATUS_", "").toLowerCase(Locale.ROOT);
  }
}
