package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every flag the chart passes exists as a picocli option in the agent's or the aggregator's
 * sources, so a renamed flag breaks this test instead of a DaemonSet in someone's cluster.
 */
class ChartFlagsContractTest {
  private static final Pattern FLAG = Pattern.compile("\"(--[a-z][a-z0-9-]*)\"");

  static Set<String> declaredFlags(String module) throws IOException {
    Set<String> flags = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Chart.ROOT.resolve(module).resolve("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String code = Files.readString(f);
        if (!code.contains("@Option")) {
          continue;
        }
        Matcher m = FLAG.matcher(code);
        while (m.find()) {
          flags.add(m.group(1));
        }
      }
    }
    return flags;
  }

  static Set<String> chartFlags(Chart chart, String workload, String container) {
    Set<String> flags = new TreeSet<>();
    String kind = workload.endsWith("-agent") ? "DaemonSet" : "Deployment";
    for (String arg : Chart.args(Chart.container(chart.get(kind, workload), container))) {
      if (arg.startsWith("--")) {
        flags.add(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg);
      }
    }
    return flags;
  }

  @Test
  void everyFlagTheChartPassesExists() throws IOException {
    Chart chart =
        Chart.render(
            Map.of(
                "aggregator.replicas", 2,
                "agent.ovnSbRemote", "tcp:10.0.0.1:6642",
                "agent.ovnNbRemote", "unix:/var/run/ovn/ovnnb_db.sock",
                "aggregator.alerting.alertmanagerUrl", "http://am:9093",
                "aggregator.alerting.webhookUrl", "http://hook",
                "aggregator.alerting.webhookSecretName", "hook",
                "aggregator.exposeCli.enabled", true,
                "aggregator.exposeCli.secretName", "cli",
                "aggregator.exposeCli.allowedClientName", "ops"));
    Set<String> agent = new HashSet<>(chartFlags(chart, "podpath-agent", "agent"));
    Set<String> aggregator = new HashSet<>(chartFlags(chart, "podpath-aggregator", "aggregator"));
    assertThat(declaredFlags("agent")).as("agent options").containsAll(agent);
    assertThat(declaredFlags("aggregator")).as("aggregator options").containsAll(aggregator);
    assertThat(agent)
        .contains(
            "--node-name", "--ovs-rundir", "--ovn-sb", "--ovn-nb", "--tls-ca", "--check-interval");
    assertThat(aggregator)
        .contains(
            "--agent-selector",
            "--node-events",
            "--webhook-secret-file",
            "--cli-tls-ca",
            "--cli-tls-client-name");
  }
}
