package io.podpath.agent.live;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * The exchange a live trace looks for, typed: its two IPv4 ends as the sender addresses them, the
 * protocol and the mark the aggregator chose for this one trace — the sender's TCP/UDP/SCTP source
 * port, or the ICMP echo identifier. A packet matches going either way (the request, or the reply
 * with the 5-tuple reversed) when it carries the mark and either end's address on either side: a
 * source NAT (pod to outside) or a Service's DNAT changes one address, the other one and the mark
 * stay. Nothing else from a request reaches the filter.
 */
public record LiveMatch(Inet4Address srcIp, Inet4Address dstIp, Transport protocol, int mark) {
  /**
   * The transports a live trace sends (a TCP SYN, one UDP datagram, one SCTP INIT, one ICMP echo
   * request).
   */
  public enum Transport {
    ICMP(1),
    TCP(6),
    UDP(17),
    SCTP(132);

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
    Objects.requireNonNull(dstIp, "dstIp");
    Objects.requireNonNull(protocol, "protocol");
    if (mark < 1 || mark > 65535) {
      throw new IllegalArgumentException("src_port (the mark): 1-65535, got " + mark);
    }
  }

  /** The source address as the 32-bit big-endian number the filter compares. */
  int srcWord() {
    return word(srcIp);
  }

  int dstWord() {
    return word(dstIp);
  }

  private static int word(Inet4Address ip) {
    byte[] a = ip.getAddress();
    return ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
  }
}
