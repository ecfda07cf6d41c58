package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent's JVM flags and environment are the same wherever it runs: the chart, the image, and
 * the sandbox agents that hack/bench measures (B4), so the benchmark measures what ships.
 */
class AgentJvmFlagsTest {
  /** The sandbox keeps a JVM that runs out of heap alive so its log can be read. */
  static final String CHART_ONLY = "-XX:+ExitOnOutOfMemoryError";

  static List<String> shellArray(String script, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "=\\(([^)]*)\\)").matcher(script);
    assertThat(m.find()).as(name + "=(...) in hack/lib/sb-apps.sh").isTrue();
    return Arrays.stream(m.group(1).split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  @Test
  void theSandboxAgentsRunTheChartsFlags() throws IOException {
    String script = Files.readString(Chart.ROOT.resolve("hack/lib/sb-apps.sh"));
    List<String> chart = new ArrayList<>(Arrays.asList(ChartDefaultsTest.LEAN_JVM.split(" ")));
    assertThat(chart.remove(CHART_ONLY)).isTrue();
    assertThat(shellArray(script, "AGENT_JAVA")).isEqualTo(chart);
    assertThat(shellArray(script, "AGENT_ENV")).containsExactly("MALLOC_ARENA_MAX=2");
  }

  @Test
  void theImageSetsTheSameMallocArenas() throws IOException {
    assertThat(Files.readString(Chart.ROOT.resolve("Dockerfile.agent")))
        .containsPattern("(?m)^ENV MALLOC_ARENA_MAX=2$");
  }
}
