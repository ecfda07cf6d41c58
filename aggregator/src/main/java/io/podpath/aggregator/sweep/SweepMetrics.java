package io.podpath.aggregator.sweep;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.aggregator.model.Check;
import io.podpath.aggregator.model.CheckStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
  static final List<CheckStatus> STATUSES = List.of(CheckStatus.values());

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

    Series(String node, String check, CheckStatus status) {
      this.node = node;
      this.check = check;
      this.status = status;
    }
  }

  public SweepMetrics(MeterRegistry registry) {
    this.registry = registry;
    if (registry instanceof PrometheusMeterRegistry p) {
      p.getPrometheusRegistry().register(collector());
    }
  }

  public void record(SweepReport r) {
    Duration d = Duration.between(r.startedAt(), r.finishedAt());
    Timer.builder("podpath.sweep.duration")
        .description("Time one sweep took")
        .register(registry)
        .record(d);
    synchronized (this) {
      for (NodeResult n : r.nodes()) {
        n.checks().forEach(c -> check(n.node(), c));
      }
      r.clusterChecks().forEach(c -> check(CLUSTER_NODE, c));
    }
  }

  private void check(String node, Check c) {
    Series s =
        series.computeIfAbsent(node + "\n" + c.id(), k -> new Series(node, c.id(), c.status()));
    s.status = c.status();
    s.lastSeconds = c.durationMicros() / 1e6;
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
                      .labels(nc.add("status", st.label()))
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
}
