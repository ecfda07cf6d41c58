package io.podpath.agent.trace;

import java.net.InetAddress;
import java.util.Objects;

/** One backend of a load balancer, validated: its address and port (0 for ICMP). */
public record LbBackend(InetAddress ip, int port) {
  public LbBackend {
    Objects.requireNonNull(ip, "ip");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }
}
