package io.podpath.aggregator.agents;

import io.podpath.aggregator.util.IpLiteral;
import io.podpath.common.Dns1123;
import io.podpath.common.HostPort;
import java.util.regex.Pattern;

/** Where one node's agent listens. */
public record AgentAddress(String node, String host, int port) {
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9.]{0,251}[A-Za-z0-9])?");

  public AgentAddress {
    if (!Dns1123.isSubdomain(node)) {
      throw new IllegalArgumentException("node name '" + node + "' is not a DNS-1123 subdomain");
    }
    if (!IpLiteral.isIp(host) && !HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("'" + host + "' is neither an IP address nor a host name");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not in 1-65535");
    }
  }

  /** Parses {@code NODE=HOST:PORT} (an IPv6 host in brackets: {@code node1=[fd00::1]:9443}). */
  public static AgentAddress parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("expected NODE=HOST:PORT, got '" + spec + "'");
    }
    String node = spec.substring(0, eq);
    String hostPort = spec.substring(eq + 1);
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("expected NODE=HOST:PORT, got '" + spec + "'");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "write an IPv6 host in brackets: NODE=[ADDR]:PORT, got '" + spec + "'");
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port in '" + spec + "' is not a number");
    }
    return new AgentAddress(node, host, port);
  }

  /** The gRPC target ("host:port", IPv6 bracketed). */
  public String target() {
    return HostPort.of(host, port);
  }

  @Override
  public String toString() {
    return node + "=" + target();
  }
}
