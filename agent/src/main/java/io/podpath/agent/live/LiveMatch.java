package io.podpath.agent.live;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * The packet a live trace looks for, typed: its (inner) IPv4 source, protocol and source port — the
 * mark the aggregator chose for this one trace. Nothing else from a request reaches the filter.
 */
public record LiveMatch(Inet4Address srcIp, Transport protocol, int srcPort) {
  /** The transports a live trace sends (a TCP SYN or one UDP datagram). */
  public enum Transport {
    TCP(6),
    UDP(17);

    private final int ipProto;

    Transport(int ipProto) {
      this.ipProto = ipProto;
    }

    public int ipProto() {
      return ipProto;
    }
  }

  public LiveMatch {
    Objects.requireNonNull(srcIp, "srcIp");
    Objects.requireNonNull(protocol, "protocol");
    if (srcPort < 1 || srcPort > 65535) {
      throw new IllegalArgumentException("src_port: 1-65535, got " + srcPort);
    }
  }

  /** The source address as the 32-bit big-endian number the filter compares. */
  int srcWord() {
    byte[] a = srcIp.getAddress();
    return ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
  }
}
