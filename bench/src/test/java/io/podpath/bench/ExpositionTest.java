package io.podpath.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.proto.v1.CheckReport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The scrape-size figures of docs/benchmarks.md B7, on the agent's real registry. */
class ExpositionTest {
  @Test
  void countsUtf8BytesFamiliesAndEverySampleLine() {
    String text =
        String.join(
            "\n",
            "# HELP t_seconds time",
            "# TYPE t_seconds summary",
            "t_seconds_count{check=\"mtu\"} 1",
            "t_seconds_sum{check=\"mtu\"} 0.5",
            "# TYPE podpath_check_info gauge",
            "podpath_check_info{summary=\"pod MTU 1400 ≤ 1442\"} 1.0",
            "",
            "jvm_memory_used_bytes{area=\"heap\"} 3.0",
            "");
    Exposition e = Exposition.of(text);
    assertThat(e.bytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    assertThat(e.bytes()).as("≤ is 3 bytes in UTF-8").isEqualTo(text.length() + 2);
    assertThat(e.series()).isEqualTo(4);
    assertThat(e.families()).isEqualTo(2);
    assertThat(e.checkSeries()).isEqualTo(1);
    assertThat(e.jvmSeries()).isEqualTo(1);
  }

  @Test
  void aSimulatedAgentExposesTheRecordedChecksAsTheAgentDoes() throws Exception {
    CheckReport report =
        Fixtures.read(RecordedFleetTest.fixture(Fixtures.RUN_CHECKS), CheckReport.newBuilder())
            .build();
    int checks = report.getResultsCount();
    assertThat(checks).as("recorded checks").isGreaterThan(3);
    PrometheusMeterRegistry registry = SimulatedAgentMetrics.of(report);
    String text = registry.scrape();
    Exposition e = Exposition.of(text);
    // per check: 5 one-hot status series, 1 info series, a timer's count, sum and max
    assertThat(e.checkSeries()).isEqualTo(checks * (5 + 1 + 3));
    io.podpath.proto.v1.CheckResult first = report.getResults(0);
    String status = SimulatedAgentMetrics.status(first.getStatus()).name().toLowerCase();
    assertThat(text)
        .contains(
            "podpath_check_status{check=\"" + first.getId() + "\",status=\"" + status + "\"} 1.0")
        .contains("podpath_check_scheduled_rounds_total{outcome=\"ran\"} 1.0")
        .contains(
            String.format(
                "podpath_check_duration_seconds_sum{check=\"%s\"} %s",
                first.getId(), first.getDurationMicros() / 1e6));
    assertThat(e.jvmSeries()).as("the agent's JVM memory gauges").isGreaterThan(10);
    assertThat(e.series()).isEqualTo(e.checkSeries() + e.jvmSeries() + 2);
  }

  @Test
  void nodeOfPath() {
    assertThat(MetricsFleetCommand.node("/nodes/17/metrics")).isEqualTo(17);
    assertThat(MetricsFleetCommand.node("/nodes/x/metrics")).isZero();
    assertThat(MetricsFleetCommand.node("/nodes/17")).isZero();
    assertThat(MetricsFleetCommand.node("/metrics")).isZero();
  }
}
