package io.podpath.agent.ip;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP literals through Guava's {@link InetAddresses}: never a name, so nothing here can trigger a
 * DNS lookup, and IPv6 always prints one way (RFC 5952, as OVS and iproute2 print it).
 */
public final class IpLiteral {
  // ASCII only: Guava also accepts other scripts' digits ("٣.٣.٣.٣" would be 3.3.3.3). No zone ids.
  private static final Pattern ASCII_IP_CHARS = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

  private IpLiteral() {}

  /** Parses text from a request or a tool's output; never throws. */
  public static Optional<InetAddress> tryParse(String text) {
    if (text == null
        || !ASCII_IP_CHARS.matcher(text).matches()
        || !InetAddresses.isInetAddress(text)) {
      return Optional.empty();
    }
    return Optional.of(InetAddresses.forString(text));
  }

  /** {@code 10.0.0.1:80} or {@code [fd00::1]:80}: an IPv6 address bracketed before its port. */
  public static String hostPort(InetAddress a, int port) {
    return HostAndPort.fromParts(format(a), port).toString();
  }

  /** The canonical text: dotted quad, or RFC 5952 IPv6 ({@code fd00::1}). */
  public static String format(InetAddress a) {
    return InetAddresses.toAddrString(a);
  }
}
