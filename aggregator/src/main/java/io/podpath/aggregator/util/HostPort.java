package io.podpath.aggregator.util;

import com.google.common.net.HostAndPort;

/** The one way the aggregator prints "host:port": IPv6 hosts in brackets (RFC 3986). */
public final class HostPort {
  private HostPort() {}

  /** {@code host:port}, or the bare host when {@code port} is 0 (no port: ICMP, a bare IP). */
  public static String of(String host, int port) {
    return port == 0 ? host : HostAndPort.fromParts(host, port).toString();
  }
}
