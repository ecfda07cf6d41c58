package io.podpath.aggregator.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.SweepResult;
import org.junit.jupiter.api.Test;

/**
 * The sweep's text view (#18): problems first, one summary line per healthy node, RFC 3339
 * timestamps to the second, a space after every status (NOT_APPLICABLE included).
 */
class SweepRendererTest {
  private static CheckResult check(String id, CheckStatus s, String summary) {
    return CheckResult.newBuilder()
        .setId(id)
        .setStatus(s)
        .setSummary(summary)
        .setRemediation(s == CheckStatus.CHECK_STATUS_FAIL ? "sysctl -w net.ipv4.ip_forward=1" : "")
        .build();
  }

  private static NodeReport node(String name, CheckStatus ipForward) {
    return NodeReport.newBuilder()
        .setNode(name)
        .addChecks(check("ip-forward", ipForward, "net.ipv4.ip_forward is " + name))
        .addChecks(check("mtu", CheckStatus.CHECK_STATUS_OK, "pod MTU 1400"))
        .addChecks(check("dns", CheckStatus.CHECK_STATUS_NOT_APPLICABLE, "no DNS pod here"))
        .build();
  }

  /** node1 and node3 healthy, node2 failing, nanosecond timestamps as the proto carries them. */
  static final SweepResult SWEEP =
      SweepResult.newBuilder()
          .setStartedAt("2026-12-05T09:05:16.123456789Z")
          .setFinishedAt("2026-12-05T09:05:17.987654321Z")
          .addNodes(node("node1", CheckStatus.CHECK_STATUS_OK))
          .addNodes(node("node2", CheckStatus.CHECK_STATUS_FAIL))
          .addNodes(node("node3", CheckStatus.CHECK_STATUS_OK))
          .build();

  @Test
  void problemsComeFirstAndEachHealthyNodeIsOneLine() {
    String text = SweepRenderer.render(SWEEP, "text", false, false);
    assertThat(text.lines().toList())
        .containsExactly(
            "node2",
            "  FAIL           ip-forward           net.ipv4.ip_forward is node2",
            " ".repeat(38) + "fix: sysctl -w net.ipv4.ip_forward=1",
            "node1  OK: 2 checks OK, 1 not applicable",
            "node3  OK: 2 checks OK, 1 not applicable",
            "UNHEALTHY (sweep 2026-12-05T09:05:16Z → 2026-12-05T09:05:17Z; -v shows every check)");
  }

  @Test
  void verboseShowsEveryCheckWithASpaceAfterTheLongestStatus() {
    String text = SweepRenderer.render(SWEEP, "text", true, false);
    assertThat(text)
        .contains("node1\n  OK             ip-forward")
        .contains("  NOT_APPLICABLE dns                  no DNS pod here")
        .doesNotContain("NOT_APPLICABLEdns");
    assertThat(text.lines().filter(l -> l.startsWith("node")).toList())
        .containsExactly("node1", "node2", "node3");
  }

  @Test
  void jsonAndYamlTimestampsAreRfc3339Seconds() {
    assertThat(SweepRenderer.render(SWEEP, "json", false, false))
        .contains("\"startedAt\" : \"2026-12-05T09:05:16Z\"")
        .contains("\"finishedAt\" : \"2026-12-05T09:05:17Z\"")
        .doesNotContain(".123456789");
    assertThat(SweepRenderer.render(SWEEP, "yaml", false, false))
        .contains("startedAt: \"2026-12-05T09:05:16Z\"");
  }

  @Test
  void aHealthySweepSaysSoInOneLinePerNode() {
    SweepResult ok =
        SWEEP.toBuilder().setNodes(1, node("node2", CheckStatus.CHECK_STATUS_OK)).build();
    String text = SweepRenderer.render(ok, "text", false, false);
    assertThat(text.lines().count()).isEqualTo(4);
    assertThat(text)
        .endsWith(
            "healthy (sweep 2026-12-05T09:05:16Z → 2026-12-05T09:05:17Z;"
                + " -v shows every check)\n");
  }
}
