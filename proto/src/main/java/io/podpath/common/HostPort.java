package io.podpath.common;

import com.google.common.net.HostAndPort;

/**
 * The one way podpath prints "host:port", in the agent and the aggregator: IPv6 hosts in brackets
 * (RFC 3986), as gRPC targets, OVN, iptables and IPVS print them.
 */
public final class HostPort {
  private HostPort() {}

  /** {@code host:port}, or the bare host when {@code port} is 0 (no port: ICMP, a bare IP). */
  public static String of(String host, int port) {
    return port == 0 ? host : HostAndPort.fromParts(host, port).toString();
  }
}
