package io.podpath.agent.trace;

import org.jspecify.annotations.Nullable;

/** The transport protocol of a traced packet, with the names ofproto/trace's flow syntax uses. */
public enum L4Protocol {
  TCP("tcp", "tcp6", "tcp"),
  UDP("udp", "udp6", "udp"),
  SCTP("sctp", "sctp6", "sctp"),
  ICMP("icmp", "icmp6", null);

  private final String v4;
  private final String v6;
  private final @Nullable String portPrefix;

  L4Protocol(String v4, String v6, @Nullable String portPrefix) {
    this.v4 = v4;
    this.v6 = v6;
    this.portPrefix = portPrefix;
  }

  /** The flow keyword: {@code tcp} / {@code tcp6} ... */
  String keyword(boolean ipv6) {
    return ipv6 ? v6 : v4;
  }

  /**
   * The prefix of the port fields: OVS rejects {@code tp_dst} for UDP, so each protocol uses its
   * own ({@code udp_dst}, {@code sctp_dst}). Only for a protocol that {@link #hasPorts}.
   */
  String portPrefix() {
    if (portPrefix == null) {
      throw new IllegalStateException(name() + " has no ports: check hasPorts() first");
    }
    return portPrefix;
  }

  /** The IP protocol number (ICMPv6 is 58). */
  int ipProto(boolean ipv6) {
    return switch (this) {
      case TCP -> 6;
      case UDP -> 17;
      case SCTP -> 132;
      case ICMP -> ipv6 ? 58 : 1;
    };
  }

  public boolean hasPorts() {
    return portPrefix != null;
  }
}
