package io.podpath.agent.server;

import com.google.common.net.InetAddresses;

/** A listen address "IP:PORT" (IPv6 as "[::]:PORT"); host names are not accepted. */
public record HostPort(String host, int port) {

  public static HostPort parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected IP:PORT, got " + text);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!InetAddresses.isInetAddress(host)) {
      throw new IllegalArgumentException("not an IP address: " + host);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in " + text);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range in " + text);
    }
    return new HostPort(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
