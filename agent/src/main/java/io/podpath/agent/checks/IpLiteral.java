package io.podpath.agent.checks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses an IP literal (never resolves a name): what may reach a command line. */
public final class IpLiteral {
  private static final Pattern V4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private IpLiteral() {}

  public static Optional<InetAddress> parse(String s) {
    if (s == null) {
      return Optional.empty();
    }
    try {
      if (V4.matcher(s).matches()) {
        return Optional.of(InetAddress.getByName(s)).filter(a -> a instanceof Inet4Address);
      }
      if (s.contains(":") && V6.matcher(s).matches()) {
        return Optional.of(InetAddress.getByName(s)).filter(a -> a instanceof Inet6Address);
      }
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  public static String text(InetAddress a) {
    return a.getHostAddress();
  }
}
