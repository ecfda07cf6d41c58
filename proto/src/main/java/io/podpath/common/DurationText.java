package io.podpath.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as both processes' flags take them: "500ms", "30s", "5m", "1h" (bare = seconds). */
public final class DurationText {
  private static final Pattern P = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

  private DurationText() {}

  /**
   * @throws IllegalArgumentException naming the value and the expected form
   */
  public static Duration parse(String value) {
    Matcher m = P.matcher(value == null ? "" : value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration (e.g. 30s, 5m): " + value);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
