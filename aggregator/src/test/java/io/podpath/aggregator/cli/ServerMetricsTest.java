package io.podpath.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.common.BuildVersion;
import io.podpath.testkit.Promtool;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** build_info, JVM and process metrics, and histogram buckets, in a scrape promtool accepts. */
// A try-with-resources block keeps a server running for its body without naming it.
@SuppressWarnings("try")
class ServerMetricsTest {
  @Test
  void aScrapeHasBuildInfoJvmProcessAndHistogramBuckets() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (AutoCloseable bound = ServerMetrics.bind(registry, "aggregator")) {
      Timer.builder("podpath.trace.duration")
          .description("Time one trace took")
          .register(registry)
          .record(Duration.ofMillis(120));
      String scrape = registry.scrape();
      assertThat(scrape)
          .contains(
              "podpath_build_info{component=\"aggregator\",version=\""
                  + BuildVersion.get()
                  + "\"} 1")
          .contains("jvm_memory_used_bytes{")
          .contains("process_cpu_usage")
          .contains("process_uptime_seconds")
          .contains("jvm_threads_live_threads")
          .contains("podpath_trace_duration_seconds_bucket{le=");
      assertThat(BuildVersion.get()).matches("\\d+\\.\\d+\\.\\d+.*");
      Promtool.Lint lint = Promtool.checkMetrics(scrape);
      assertThat(lint.clean()).as(lint.output()).isTrue();
    } finally {
      registry.close();
    }
  }
}
