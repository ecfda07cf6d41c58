package io.podpath.agent.trace;

import io.podpath.agent.errors.InvalidArgumentException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses IP literals only: never a name, so nothing here can trigger a DNS lookup. */
public final class IpLiteral {
  private static final Pattern V4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private IpLiteral() {}

  /** Parses a request field or throws {@link InvalidArgumentException} naming it. */
  public static InetAddress parse(String field, String text) {
    return tryParse(text)
        .orElseThrow(() -> new InvalidArgumentException(field, "not an IPv4 or IPv6 literal"));
  }

  /** Parses text from a tool's output; never throws. */
  public static Optional<InetAddress> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    boolean v4 = V4.matcher(text).matches();
    boolean v6 = !v4 && text.contains(":") && V6.matcher(text).matches();
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      // A literal (checked above) is converted without any lookup.
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** The canonical text: dotted quad, or compressed IPv6 (as OVS prints it). */
  public static String format(InetAddress a) {
    if (a instanceof Inet6Address) {
      return compress(a.getHostAddress());
    }
    return a.getHostAddress();
  }

  private static String compress(String full) {
    // Java prints fd00:0:0:0:0:0:0:1; RFC 5952 (and OVS) print fd00::1.
    String[] parts = full.split(":");
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < parts.length; ) {
      if (parts[i].equals("0")) {
        int j = i;
        while (j < parts.length && parts[j].equals("0")) {
          j++;
        }
        if (j - i > bestLen && j - i > 1) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    if (bestStart < 0) {
      return full;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(parts, 0, bestStart));
    String tail =
        String.join(":", java.util.Arrays.copyOfRange(parts, bestStart + bestLen, parts.length));
    return head + "::" + tail;
  }
}
