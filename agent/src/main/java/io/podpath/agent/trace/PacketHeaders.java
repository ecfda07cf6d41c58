package io.podpath.agent.trace;

import io.podpath.agent.errors.InvalidArgumentException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The headers of one traced packet, every field validated. Ports are 0 for ICMP; ICMP type/code are
 * empty for the other protocols. MACs may be unknown until the tracer fills them in.
 */
public record PacketHeaders(
    InetAddress src,
    InetAddress dst,
    L4Protocol protocol,
    int srcPort,
    int dstPort,
    int icmpType,
    int icmpCode,
    Optional<MacAddress> srcMac,
    Optional<MacAddress> dstMac,
    int ttl) {

  public static final int DEFAULT_TTL = 64;
  public static final int DEFAULT_SRC_PORT = 40000;

  public PacketHeaders {
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(dst, "dst");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(srcMac, "srcMac");
    Objects.requireNonNull(dstMac, "dstMac");
    if ((src instanceof Inet6Address) != (dst instanceof Inet6Address)) {
      throw new InvalidArgumentException("packet.dst_ip", "must be of the same family as src_ip");
    }
    if (protocol.hasPorts()) {
      if (srcPort < 1 || srcPort > 65535) {
        throw new InvalidArgumentException("packet.src_port", "must be 1-65535");
      }
      if (dstPort < 1 || dstPort > 65535) {
        throw new InvalidArgumentException("packet.dst_port", "must be 1-65535");
      }
    } else if (srcPort != 0 || dstPort != 0) {
      throw new InvalidArgumentException("packet.dst_port", "ICMP has no ports");
    }
    if (icmpType < 0 || icmpType > 255) {
      throw new InvalidArgumentException("packet.icmp_type", "must be 0-255");
    }
    if (icmpCode < 0 || icmpCode > 255) {
      throw new InvalidArgumentException("packet.icmp_code", "must be 0-255");
    }
    if (ttl < 1 || ttl > 255) {
      throw new InvalidArgumentException("packet.ttl", "must be 1-255");
    }
  }

  public boolean ipv6() {
    return src instanceof Inet6Address;
  }

  /** An echo request of the packet's family (ICMP type 8, ICMPv6 type 128). */
  public static int echoRequestType(boolean ipv6) {
    return ipv6 ? 128 : 8;
  }

  public PacketHeaders withMacs(Optional<MacAddress> newSrc, Optional<MacAddress> newDst) {
    return new PacketHeaders(
        src, dst, protocol, srcPort, dstPort, icmpType, icmpCode, newSrc, newDst, ttl);
  }
}
