package io.podpath.aggregator.util;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP literals parsed without ever touching DNS, in the canonical form lookups compare. */
public final class IpLiteral {
  private static final Pattern V4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern V6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private IpLiteral() {}

  /** The canonical text of an IPv4 or IPv6 literal, or empty when {@code text} is not one. */
  public static Optional<String> canonical(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.trim();
    if (V4.matcher(s).matches()) {
      return Optional.of(s);
    }
    // A ':' makes InetAddress parse the literal instead of resolving a name.
    if (s.indexOf(':') >= 0 && V6_CHARS.matcher(s).matches()) {
      try {
        InetAddress a = InetAddress.getByName(s);
        if (a instanceof Inet6Address) {
          // Java's full form (no "::" compression) is canonical enough: every lookup goes through
          // here.
          return Optional.of(a.getHostAddress());
        }
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  public static boolean isIp(String text) {
    return canonical(text).isPresent();
  }

  /** Strips a "/prefix" suffix ("172.31.0.11/24" → "172.31.0.11") and canonicalises. */
  public static Optional<String> fromCidr(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int slash = text.indexOf('/');
    return canonical(slash < 0 ? text : text.substring(0, slash));
  }
}
