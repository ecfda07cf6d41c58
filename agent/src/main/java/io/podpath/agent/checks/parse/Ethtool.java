package io.podpath.agent.checks.parse;

import java.util.Optional;

/**
 * Parser for {@code ethtool IFACE} ({@code ethtool -S} is {@link
 * io.podpath.agent.ip.IpJson#ethtoolStats}).
 */
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
}
