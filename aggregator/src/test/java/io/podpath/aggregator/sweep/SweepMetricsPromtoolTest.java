package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.SweepResult;
import io.podpath.testkit.Promtool;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The sweep metrics' exposition, validated by Prometheus's own linter (promtool check metrics). */
class SweepMetricsPromtoolTest {
  static SweepResult result(CheckStatus mtu) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return SweepResult.newBuilder()
        .setStartedAt(t.toString())
        .setFinishedAt(t.plusMillis(1234).toString())
        .addNodes(
            NodeReport.newBuilder()
                .setNode("node1")
                .addChecks(
                    CheckResult.newBuilder().setId("mtu").setStatus(mtu).setDurationMicros(900))
                .addChecks(
                    CheckResult.newBuilder()
                        .setId("dns")
                        .setStatus(CheckStatus.CHECK_STATUS_NOT_APPLICABLE)))
        .addClusterChecks(
            CheckResult.newBuilder().setId("mtu-probe").setStatus(CheckStatus.CHECK_STATUS_OK))
        .build();
  }

  @Test
  void exposedMetricsPassPromtoolAndCarryBoundedTags() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SweepMetrics m = new SweepMetrics(registry);
    m.record(result(CheckStatus.CHECK_STATUS_OK));
    m.record(result(CheckStatus.CHECK_STATUS_FAIL));
    String text = registry.scrape();
    assertThat(text)
        .contains("podpath_sweep_duration_seconds_count 2")
        .contains("podpath_sweep_check_status{check=\"mtu\",node=\"node1\",status=\"fail\"} 1.0")
        .contains("podpath_sweep_check_status{check=\"mtu\",node=\"node1\",status=\"ok\"} 0.0")
        .contains(
            "podpath_sweep_check_status{check=\"mtu-probe\",node=\"cluster\",status=\"ok\"} 1.0")
        .contains("podpath_sweep_check_duration_seconds_count{check=\"mtu\",node=\"node1\"} 2");
    Promtool.Lint lint = Promtool.checkMetrics(text);
    assertThat(lint.clean()).as(lint.output()).isTrue();
  }

  @Test
  void thousandsOfNodesAddNoMeterPerNodeAndCheck() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SweepMetrics m = new SweepMetrics(registry);
    SweepResult.Builder r = result(CheckStatus.CHECK_STATUS_OK).toBuilder();
    for (int i = 2; i <= 5000; i++) {
      r.addNodes(r.getNodes(0).toBuilder().setNode("node" + i));
    }
    m.record(r.build());
    // one Micrometer meter (the sweep duration); the per-check series come from the collector
    assertThat(registry.getMeters()).hasSize(1);
    assertThat(registry.scrape())
        .contains("podpath_sweep_check_status{check=\"mtu\",node=\"node4999\",status=\"ok\"} 1.0")
        .contains("podpath_sweep_check_duration_seconds_max{check=\"mtu\",node=\"node1\"} 9.0E-4");
  }
}
