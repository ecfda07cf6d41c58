package io.podpath.agent.checks.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Parsers for {@code ethtool IFACE} and {@code ethtool -S IFACE}. */
public final class Ethtool {
  private Ethtool() {}

  /** "Link detected: yes|no"; empty when the driver does not say. */
  public static Optional<Boolean> linkDetected(String text) {
    for (String line : text.split("\n")) {
      String t = line.trim();
      if (t.startsWith("Link detected:")) {
        return Optional.of(t.substring("Link detected:".length()).trim().equals("yes"));
      }
    }
    return Optional.empty();
  }

  /** The "NIC statistics:" counters by name. */
  public static Map<String, Long> statistics(String text) throws ParseException {
    Map<String, Long> out = new LinkedHashMap<>();
    boolean seenHeader = false;
    for (String line : text.split("\n")) {
      String t = line.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (t.equals("NIC statistics:")) {
        seenHeader = true;
        continue;
      }
      int colon = t.lastIndexOf(':');
      if (colon < 0) {
        throw new ParseException("ethtool -S: unexpected line: " + t);
      }
      try {
        out.put(t.substring(0, colon).trim(), Long.parseLong(t.substring(colon + 1).trim()));
      } catch (NumberFormatException e) {
        throw new ParseException("ethtool -S: not a number: " + t, e);
      }
    }
    if (!seenHeader) {
      throw new ParseException("ethtool -S: no 'NIC statistics:' header");
    }
    return out;
  }
}
