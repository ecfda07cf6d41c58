package io.podpath.agent.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel fixtures recorded by hack/fixtures/kernel.sh. */
public final class Fixtures {
  public static final Path DIR = Path.of("src/test/resources/fixtures/kernel");

  private Fixtures() {}

  public static String read(String name) {
    try {
      return Files.readString(DIR.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture of the checks area (hack/fixtures/checks.sh). */
  public static String readChecks(String name) {
    try {
      return Files.readString(DIR.resolveSibling("checks").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static IpAddr ip(String s) {
    return IpAddr.parse("test", s);
  }
}
