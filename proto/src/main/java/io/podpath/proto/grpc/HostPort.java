package io.podpath.proto.grpc;

import com.google.common.net.InetAddresses;

/**
 * A gRPC or HTTP address "HOST:PORT", IPv6 hosts in brackets ("[fd00::1]:9443"). Connect addresses
 * may name a host; listen addresses must be IP literals ({@link #parseIp}), so that a flag never
 * binds to whatever a name resolves to at start-up.
 */
public record HostPort(String host, int port) {
  public HostPort {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not in 0-65535");
    }
  }

  /** "HOST:PORT" or "[V6]:PORT". */
  public static HostPort parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "write an IPv6 host in brackets: [ADDR]:PORT, got '" + text + "'");
    }
    try {
      return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port in '" + text + "' is not a number");
    }
  }

  /** "IP:PORT" or "[V6]:PORT": a listen address, never a host name. */
  public static HostPort parseIp(String text) {
    HostPort hp = parse(text);
    if (!InetAddresses.isInetAddress(hp.host())) {
      throw new IllegalArgumentException(
          "expected IP:PORT (an IP literal, not a name), got '" + text + "'");
    }
    return hp;
  }

  /** The gRPC target form. */
  public String target() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return target();
  }
}
