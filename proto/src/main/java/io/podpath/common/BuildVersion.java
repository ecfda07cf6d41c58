package io.podpath.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version Maven built (filtered into version.properties), for both processes' --version and
 * build_info.
 */
public final class BuildVersion {
  private static final String VERSION = load();

  private BuildVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in =
        BuildVersion.class.getResourceAsStream("/io/podpath/common/version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties missing from the build");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
