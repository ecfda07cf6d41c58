package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rules over every module's main sources, scanned from the repository root: no shell, and processes
 * are started in one place only (argv, timeout, output cap live there).
 */
class HouseRulesTest {
  /** The agent's command runner: the only shipped code allowed to start a process. */
  static final String COMMAND_RUNNER = "agent/src/main/java/io/podpath/agent/exec/";

  /**
   * The test harness (never shipped) drives hack/sandbox with its own argv runner; it obeys the
   * no-shell rule like everything else.
   */
  static final String TEST_HARNESS = "testkit/src/main/java/";

  private static final Pattern SHELL =
      Pattern.compile(
          "\"(?:/bin/|/usr/bin/)?(?:ba|da|z)?sh\"\\s*,\\s*\"-c\""
              + "|\"(?:/bin/|/usr/bin/)?(?:ba|da|z)?sh -c"
              + "|\"/bin/(?:ba)?sh\""
              + "|/bin/sh|/bin/bash");
  private static final Pattern PROCESS =
      Pattern.compile(
          "\\bProcessBuilder\\b|Runtime\\s*\\.\\s*getRuntime\\s*\\(\\s*\\)\\s*\\.\\s*exec\\b"
              + "|\\bRuntime\\.exec\\b");

  static List<Path> mainSources;

  @BeforeAll
  static void scan() throws IOException {
    try (Stream<Path> files = Files.walk(Chart.ROOT)) {
      mainSources =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> Chart.ROOT.relativize(p).toString().matches("[^/]+/src/main/.*"))
              .toList();
    }
  }

  @Test
  void scansTheModulesMainSources() {
    assertThat(mainSources).as("main sources found under " + Chart.ROOT).isNotEmpty();
    assertThat(mainSources)
        .anyMatch(p -> p.toString().contains("/tls/src/main/java/io/podpath/tls/PodpathTls.java"));
  }

  @Test
  void noShellInMainCode() throws IOException {
    List<String> offences = new ArrayList<>();
    for (Path file : mainSources) {
      String code = withoutComments(Files.readString(file));
      var m = SHELL.matcher(code);
      while (m.find()) {
        offences.add(where(file, code, m.start()) + ": " + m.group());
      }
    }
    assertThat(offences).as("shell invocations in main code").isEmpty();
  }

  @Test
  void processesStartOnlyInTheCommandRunner() throws IOException {
    List<String> offences = new ArrayList<>();
    for (Path file : mainSources) {
      String rel = Chart.ROOT.relativize(file).toString();
      if (rel.startsWith(COMMAND_RUNNER) || rel.startsWith(TEST_HARNESS)) {
        continue;
      }
      String code = withoutComments(Files.readString(file));
      var m = PROCESS.matcher(code);
      while (m.find()) {
        offences.add(where(file, code, m.start()) + ": " + m.group());
      }
    }
    assertThat(offences)
        .as("process starts outside " + COMMAND_RUNNER + " (use the CommandRunner)")
        .isEmpty();
  }

  @Test
  void theRulesCatchWhatTheyShould() {
    assertThat(SHELL.matcher("new ProcessBuilder(\"sh\", \"-c\", cmd)").find()).isTrue();
    assertThat(SHELL.matcher("List.of(\"/bin/bash\", \"-c\", cmd)").find()).isTrue();
    assertThat(SHELL.matcher("exec(\"bash -c 'ls'\")").find()).isTrue();
    assertThat(SHELL.matcher("List.of(\"ovs-vsctl\", \"--format=json\")").find()).isFalse();
    assertThat(PROCESS.matcher("Runtime.getRuntime().exec(argv)").find()).isTrue();
    assertThat(PROCESS.matcher("Runtime.getRuntime().addShutdownHook(t)").find()).isFalse();
    assertThat(withoutComments("a(); // sh -c\n/* ProcessBuilder */ b();"))
        .isEqualTo("a(); \n b();");
  }

  /** Drops // and block comments (outside string literals) so prose may name the forbidden. */
  static String withoutComments(String src) {
    StringBuilder out = new StringBuilder(src.length());
    int i = 0;
    while (i < src.length()) {
      char c = src.charAt(i);
      if (c == '"' || c == '\'') {
        int j = i + 1;
        if (c == '"' && src.startsWith("\"\"\"", i)) {
          j = src.indexOf("\"\"\"", i + 3);
          j = j < 0 ? src.length() : j + 3;
        } else {
          while (j < src.length() && src.charAt(j) != c) {
            j += src.charAt(j) == '\\' ? 2 : 1;
          }
          j = Math.min(j + 1, src.length());
        }
        out.append(src, i, j);
        i = j;
      } else if (src.startsWith("//", i)) {
        int end = src.indexOf('\n', i);
        i = end < 0 ? src.length() : end;
      } else if (src.startsWith("/*", i)) {
        int end = src.indexOf("*/", i + 2);
        i = end < 0 ? src.length() : end + 2;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String where(Path file, String code, int offset) {
    long line = code.substring(0, offset).chars().filter(ch -> ch == '\n').count() + 1;
    return Chart.ROOT.relativize(file) + " (code line " + line + ")";
  }
}
