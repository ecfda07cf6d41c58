package io.podpath.aggregator.sweep;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.SweepResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sweep metrics: {@code podpath.sweep.duration}, {@code podpath.sweep.check.status} (1 for the
 * (node, check)'s current status, 0 for the others) and {@code podpath.sweep.check.duration} as the
 * agent measured it. Tags: node, check, status — all bounded (nodes × check ids × statuses).
 */
public final class SweepMetrics {
  public static final String CLUSTER_NODE = "cluster";
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();

  public SweepMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(SweepResult r) {
    Duration d =
        Duration.between(Instant.parse(r.getStartedAt()), Instant.parse(r.getFinishedAt()));
    Timer.builder("podpath.sweep.duration")
        .description("Time one sweep took")
        .register(registry)
        .record(d);
    for (NodeReport n : r.getNodesList()) {
      n.getChecksList().forEach(c -> check(n.getNode(), c));
    }
    r.getClusterChecksList().forEach(c -> check(CLUSTER_NODE, c));
  }

  private void check(String node, CheckResult c) {
    for (CheckStatus s : CheckStatus.values()) {
      if (s == CheckStatus.UNRECOGNIZED || s == CheckStatus.CHECK_STATUS_UNSPECIFIED) {
        continue;
      }
      String status = statusName(s);
      gauges
          .computeIfAbsent(
              node + "/" + c.getId() + "/" + status,
              k -> {
                AtomicInteger v = new AtomicInteger();
                io.micrometer.core.instrument.Gauge.builder(
                        "podpath.sweep.check.status", v, AtomicInteger::get)
                    .description("1 for the current status of a check on a node, 0 for others")
                    .tags(Tags.of("node", node, "check", c.getId(), "status", status))
                    .strongReference(true)
                    .register(registry);
                return v;
              })
          .set(s == c.getStatus() ? 1 : 0);
    }
    Timer.builder("podpath.sweep.check.duration")
        .description("Check duration as the agent measured it")
        .tags("node", node, "check", c.getId())
        .register(registry)
        .record(Duration.ofNanos(c.getDurationMicros() * 1000));
  }

  /** "ok", "warn", "fail", "unknown", "not_applicable", "unreachable". */
  public static String statusName(CheckStatus s) {
    return s.name().replace("CHECK_STATUS_", "").toLowerCase(Locale.ROOT);
  }
}
