package io.podpath.agent.trace;

import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** An Ethernet address, parsed from {@code aa:bb:cc:dd:ee:ff}; prints in the same form. */
public record MacAddress(long value) {
  private static final Pattern SYNTAX = Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}");

  public MacAddress {
    if (value < 0 || value > 0xFFFF_FFFF_FFFFL) {
      throw new IllegalArgumentException("not a 48-bit address");
    }
  }

  /** Parses text from a request or a tool's output; never throws. */
  public static Optional<MacAddress> tryParse(@Nullable String text) {
    if (text == null || !SYNTAX.matcher(text).matches()) {
      return Optional.empty();
    }
    return Optional.of(new MacAddress(HexFormat.fromHexDigitsToLong(text.replace(":", ""))));
  }

  @Override
  public String toString() {
    String hex = String.format("%012x", value);
    StringBuilder b = new StringBuilder(17);
    for (int i = 0; i < 12; i += 2) {
      if (i > 0) {
        b.append(':');
      }
      b.append(hex, i, i + 2);
    }
    return b.toString();
  }
}
