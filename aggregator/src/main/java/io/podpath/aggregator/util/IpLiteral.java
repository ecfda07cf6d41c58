package io.podpath.aggregator.util;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP literals through Guava's {@link InetAddresses}: never a name, so nothing here can trigger a
 * DNS lookup, and IPv6 always prints one way (RFC 5952, as Kubernetes, OVS, iproute2 and the agent
 * print it), so lookups by address compare equal text.
 */
public final class IpLiteral {
  // ASCII only: Guava also accepts other scripts' digits ("٣.٣.٣.٣" would be 3.3.3.3). No zone ids.
  private static final Pattern ASCII_IP_CHARS = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

  private IpLiteral() {}

  /**
   * The canonical text of an IPv4 or IPv6 literal (surrounding blanks ignored), or empty when
   * {@code text} is not one. An IPv4-mapped IPv6 literal ({@code ::ffff:10.0.0.1}) is refused: it
   * would silently become its IPv4 address.
   */
  public static Optional<String> canonical(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.trim();
    if (!ASCII_IP_CHARS.matcher(s).matches() || !InetAddresses.isInetAddress(s)) {
      return Optional.empty();
    }
    InetAddress a = InetAddresses.forString(s);
    if (s.indexOf(':') >= 0 && !(a instanceof Inet6Address)) {
      return Optional.empty();
    }
    return Optional.of(InetAddresses.toAddrString(a));
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
