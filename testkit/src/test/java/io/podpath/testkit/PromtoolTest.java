package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromtoolTest {
  @Test
  void cleanExpositionPassesAndALintProblemIsReportedWithPromtoolsWords() throws Exception {
    Promtool.Lint ok =
        Promtool.checkMetrics(
            "# HELP podpath_up Whether it is up.\n# TYPE podpath_up gauge\npodpath_up 1\n");
    assertThat(ok.clean()).as(ok.output()).isTrue();

    Promtool.Lint bad = Promtool.checkMetrics("# TYPE podpathUp gauge\npodpathUp 1\n");
    assertThat(bad.clean()).isFalse();
    assertThat(bad.output()).contains("podpathUp");
  }
}
