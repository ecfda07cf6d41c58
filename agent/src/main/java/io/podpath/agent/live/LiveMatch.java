package io.podpath.agent.live;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The exchange a live trace looks for, typed: its two ends (both IPv4 or both IPv6) as the sender
 * addresses them, the protocol and the mark the aggregator chose for this one trace — the sender's
 * TCP/UDP/SCTP source port, or the ICMP (ICMPv6) echo identifier. A packet matches going either way
 * (the request, or the reply with the 5-tuple reversed) when it carries the mark and either end's
 * address on either side: a source NAT (pod to outside) or a Service's DNAT changes one address,
 * the other one and the mark stay. Nothing else from a request reaches the filter.
 */
public record LiveMatch(InetAddress srcIp, InetAddress dstIp, Transport protocol, int mark) {
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
    if ((srcIp instanceof Inet6Address) != (dstIp instanceof Inet6Address)) {
      throw new IllegalArgumentException("src and dst of different address families");
    }
    if (mark < 1 || mark > 65535) {
      throw new IllegalArgumentException("src_port (the mark): 1-65535, got " + mark);
    }
  }

  public boolean v6() {
    return srcIp instanceof Inet6Address;
  }

  /** The protocol number in the (inner) IP header: ICMPv6 is 58. */
  int ipProto() {
    return protocol == Transport.ICMP && v6() ? 58 : protocol.ipProto();
  }

  /** The ICMP echo request and reply types of the family (8/0, ICMPv6 128/129). */
  int echoRequest() {
    return v6() ? 128 : 8;
  }

  int echoReply() {
    return v6() ? 129 : 0;
  }

  /** The source address as the 32-bit big-endian words the filter compares (1 or 4). */
  int[] srcWords() {
    return words(srcIp);
  }

  int[] dstWords() {
    return words(dstIp);
  }

  /** An IPv4 match's source as one word. */
  int srcWord() {
    return srcWords()[0];
  }

  int dstWord() {
    return dstWords()[0];
  }

  private static int[] words(InetAddress ip) {
    byte[] a = ip.getAddress();
    int[] w = new int[a.length / 4];
    for (int i = 0; i < w.length; i++) {
      w[i] =
          ((a[4 * i] & 0xff) << 24)
              | ((a[4 * i + 1] & 0xff) << 16)
              | ((a[4 * i + 2] & 0xff) << 8)
              | (a[4 * i + 3] & 0xff);
    }
    return w;
  }
}
