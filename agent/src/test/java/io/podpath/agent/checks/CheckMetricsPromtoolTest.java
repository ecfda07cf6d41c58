package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    Path promtool = Path.of("/usr/bin/promtool");
    assertThat(promtool).as("promtool (Debian prometheus; hack/install-deps)").isExecutable();
    Path out = Files.createTempFile("promtool", ".txt");
    try {
      Process p =
          new ProcessBuilder(promtool.toString(), "check", "metrics")
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(out)).isZero();
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
