package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.testkit.Promtool;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's check metrics, validated by Prometheus's own linter (promtool check metrics). */
class CheckMetricsPromtoolTest {
  @Test
  void checkStatusAndDurationExpositionPassesPromtool() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Checks checks = new Checks(List.of(new ConntrackCheck(), new TunnelsCheck()), registry);
    RecordedNode node =
        new RecordedNode()
            .file(
                "/proc/sys/net/netfilter/nf_conntrack_count",
                Fixtures.read("nf_conntrack_count.txt"))
            .file(
                "/proc/sys/net/netfilter/nf_conntrack_max", Fixtures.read("nf_conntrack_max.txt"));
    checks.run(List.of(), node.context(new CounterMemory()));
    String text = registry.scrape();
    assertThat(text)
        .contains("podpath_check_status{check=\"conntrack\",status=\"ok\"} 1.0")
        .contains("podpath_check_status{check=\"conntrack\",status=\"fail\"} 0.0")
        .contains("podpath_check_status{check=\"tunnels\",status=\"not_applicable\"} 1.0")
        .contains("podpath_check_duration_seconds_count{check=\"conntrack\"} 1");
    Promtool.Lint lint = Promtool.checkMetrics(text);
    assertThat(lint.clean()).as(lint.output()).isTrue();
  }
}
