package io.podpath.aggregator.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the page's JavaScript unit tests with Debian's Node.js ({@code node --test}). */
class FrontEndTest {
  @Test
  void javascriptUnitTestsPass() throws Exception {
    Path tests = Path.of("src", "test", "js", "grid.test.mjs");
    assertThat(tests).exists();
    Process p =
        new ProcessBuilder("node", "--test", tests.toString()).redirectErrorStream(true).start();
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("node --test finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("# pass 6").contains("# fail 0");
  }

  @Test
  void noInlineScriptOrStyleInThePage() throws Exception {
    String html =
        Files.readString(Path.of("src/main/resources/io/podpath/aggregator/web/static/index.html"));
    assertThat(html).doesNotContainPattern("<script(?![^>]*src=)").doesNotContain("style=");
    assertThat(html).doesNotContain("http://").doesNotContain("https://");
  }
}
