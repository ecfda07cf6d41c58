package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.aggregator.model.Check;
import io.podpath.aggregator.model.CheckStatus;
import io.podpath.testkit.Promtool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sweep metrics' exposition, validated by Prometheus's own linter (promtool check metrics). */
class SweepMetricsPromtoolTest {
  static SweepReport result(CheckStatus mtu) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new SweepReport(
        t, t.plusMillis(1234), List.of(node1(mtu, "node1")), List.of(ok("mtu-probe")));
  }

  static NodeResult node1(CheckStatus mtu, String name) {
    return new NodeResult(
        name,
        Optional.empty(),
        List.of(
            new Check("mtu", mtu, "", "", 900, List.of()),
            Check.of("dns", CheckStatus.NOT_APPLICABLE, "")));
  }

  static Check ok(String id) {
    return Check.of(id, CheckStatus.OK, "");
  }

  @Test
  void exposedMetricsPassPromtoolAndCarryBoundedTags() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SweepMetrics m = new SweepMetrics(registry);
    m.record(result(CheckStatus.OK));
    m.record(result(CheckStatus.FAIL));
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
    SweepReport one = result(CheckStatus.OK);
    List<NodeResult> nodes = new ArrayList<>(one.nodes());
    for (int i = 2; i <= 5000; i++) {
      nodes.add(node1(CheckStatus.OK, "node" + i));
    }
    m.record(new SweepReport(one.startedAt(), one.finishedAt(), nodes, one.clusterChecks()));
    // one Micrometer meter (the sweep duration); the per-check series come from the collector
    assertThat(registry.getMeters()).hasSize(1);
    assertThat(registry.scrape())
        .contains("podpath_sweep_check_status{check=\"mtu\",node=\"node4999\",status=\"ok\"} 1.0")
        .contains("podpath_sweep_check_duration_seconds_max{check=\"mtu\",node=\"node1\"} 9.0E-4");
  }
}
