package io.podpath.aggregator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.aggregator.sweep.CheckIds;
import io.podpath.testkit.Promtool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What charts/podpath ships for operators: alert rules that promtool accepts and that fire on a
 * failing check with a runbook that exists, a Grafana dashboard whose JSON and PromQL are valid,
 * and a README whose values table covers values.schema.json.
 */
class ChartDocsTest {
  static final Path ROOT = repoRoot();
  static final Path CHART = ROOT.resolve("charts/podpath");
  static final Path RULES = CHART.resolve("files/check-rules.yaml");
  static final ObjectMapper JSON = new ObjectMapper();

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("charts/podpath"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "charts/podpath not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  @Test
  void checkRulesPassPromtoolAndFireOnAFailingCheck(@TempDir Path tmp) throws Exception {
    Promtool.Lint check = Promtool.checkRules(RULES);
    assertThat(check.clean()).as(check.output()).isTrue();
    String tests =
        Files.readString(
                Path.of(ChartDocsTest.class.getResource("/promtool/check-rules-test.yaml").toURI()))
            .replace("RULES", RULES.toString());
    Path t = tmp.resolve("tests.yaml");
    Files.writeString(t, tests);
    Promtool.Lint test = Promtool.testRules(t);
    assertThat(test.clean()).as(test.output()).isTrue();
  }

  @Test
  void theChartsPrometheusRuleCarriesTheCheckRules() throws IOException {
    String template = Files.readString(CHART.resolve("templates/monitoring/prometheusrule.yaml"));
    assertThat(template).contains(".Files.Get \"files/check-rules.yaml\"");
  }

  @Test
  void everyCheckHasTheRunbookItsAlertLinksTo() throws IOException {
    String health = Files.readString(ROOT.resolve("docs/health.md"));
    List<String> ids = new ArrayList<>(CheckIds.all());
    ids.add("agent");
    for (String id : ids) {
      // GitHub's anchor for "### Runbook: mtu" is #runbook-mtu, what runbook_url points at.
      assertThat(health).as("runbook for " + id).contains("\n### Runbook: " + id + "\n");
    }
    assertThat(Files.readString(RULES))
        .contains("docs/health.md#runbook-{{ $labels.check }}")
        .contains("docs/health.md#runbook-agent");
  }

  @Test
  void theDashboardIsValidGrafanaJsonWithValidPromql(@TempDir Path tmp) throws Exception {
    JsonNode d = JSON.readTree(CHART.resolve("files/dashboard.json").toFile());
    assertThat(d.path("uid").asText()).isNotBlank();
    assertThat(d.path("title").asText()).isNotBlank();
    assertThat(d.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    Set<Integer> panelIds = new HashSet<>();
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (JsonNode p : d.path("panels")) {
      assertThat(panelIds.add(p.path("id").asInt())).as("unique panel id").isTrue();
      assertThat(p.path("type").asText()).isIn("stat", "table", "timeseries");
      for (String k : List.of("x", "y", "w", "h")) {
        assertThat(p.path("gridPos").has(k)).as(p.path("title") + " gridPos." + k).isTrue();
      }
      assertThat(p.path("targets")).isNotEmpty();
      for (JsonNode t : p.path("targets")) {
        String expr = t.path("expr").asText();
        assertThat(expr).as(p.path("title").asText()).isNotBlank();
        rules
            .append("      - record: dashboard:panel")
            .append(p.path("id").asInt())
            .append(t.path("refId").asText())
            .append("\n        expr: ")
            .append(JSON.writeValueAsString(expr))
            .append('\n');
      }
    }
    // promtool parses every panel's PromQL as the expression of a recording rule.
    Path f = tmp.resolve("dashboard-rules.yaml");
    Files.writeString(f, rules);
    Promtool.Lint lint = Promtool.checkRules(f);
    assertThat(lint.clean()).as(lint.output()).isTrue();
    String template =
        Files.readString(CHART.resolve("templates/monitoring/grafana-dashboard.yaml"));
    assertThat(template).contains("grafana_dashboard: \"1\"").contains("files/dashboard.json");
  }

  @Test
  void theChartReadmeListsEveryValueOfTheSchema() throws IOException {
    JsonNode schema = JSON.readTree(CHART.resolve("values.schema.json").toFile());
    List<String> leaves = new ArrayList<>();
    leaves(schema, "", leaves);
    String readme = Files.readString(CHART.resolve("README.md"));
    assertThat(leaves).hasSizeGreaterThan(20);
    for (String leaf : leaves) {
      assertThat(readme.contains("| `" + leaf + "` |") || readme.contains("| `" + leaf + "."))
          .as("charts/podpath/README.md documents " + leaf)
          .isTrue();
    }
  }

  private static void leaves(JsonNode n, String path, List<String> out) {
    JsonNode props = n.path("properties");
    if (!props.isObject() || props.isEmpty()) {
      out.add(path);
      return;
    }
    for (Map.Entry<String, JsonNode> e : props.properties()) {
      leaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
    }
  }
}
