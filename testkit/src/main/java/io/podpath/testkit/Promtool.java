package io.podpath.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Prometheus's own linter over a metrics exposition: what a scrape config would see. */
public final class Promtool {
  static final Path BINARY = Path.of("/usr/bin/promtool");

  private Promtool() {}

  /** promtool's verdict: exit code 0 and no output for a clean exposition. */
  public record Lint(int exitCode, String output) {
    public boolean clean() {
      return exitCode == 0;
    }
  }

  /** Runs {@code promtool check rules FILE}. */
  public static Lint checkRules(Path rules) throws IOException, InterruptedException {
    return run("check", "rules", rules.toString());
  }

  /** Runs {@code promtool test rules FILE} (a rule unit-test file naming its rule_files). */
  public static Lint testRules(Path tests) throws IOException, InterruptedException {
    return run("test", "rules", tests.toString());
  }

  private static Lint run(String... args) throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY + " missing: install Debian's prometheus package (hack/install-deps does)");
    }
    Path out = Files.createTempFile("promtool", ".txt");
    try {
      String[] argv = new String[args.length + 1];
      argv[0] = BINARY.toString();
      System.arraycopy(args, 0, argv, 1, args.length);
      Process p =
          new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("promtool " + String.join(" ", args) + ": no end in 60 s");
      }
      return new Lint(p.exitValue(), Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Runs {@code promtool check metrics} on {@code exposition}. */
  public static Lint checkMetrics(String exposition) throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY + " missing: install Debian's prometheus package (hack/install-deps does)");
    }
    Path out = Files.createTempFile("promtool", ".txt");
    try {
      Process p =
          new ProcessBuilder(BINARY.toString(), "check", "metrics")
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(exposition.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("promtool check metrics did not finish in 30 s");
      }
      return new Lint(p.exitValue(), Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
