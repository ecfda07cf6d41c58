package io.podpath.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * One real packet exchange sent by {@code hack/sandbox probe}.
 *
 * @param sourcePort fixed source port (TCP/UDP/SCTP): a repeated probe is the same conntrack entry
 * @param via for source {@code ext}: the node the external host sends through (nodeI)
 * @param family 4 or 6: the family of a named destination; null = the sandbox's first
 */
public record Probe(
    Protocol protocol,
    int port,
    Integer size,
    boolean dontFragment,
    Integer sourcePort,
    String via,
    Integer family) {

  public enum Protocol {
    TCP,
    UDP,
    /** One INIT chunk through a raw socket (IPv4): delivered on the INIT-ACK. */
    SCTP,
    ICMP
  }

  public static Probe tcp(int port) {
    return new Probe(Protocol.TCP, port, null, false, null, null, null);
  }

  public static Probe udp(int port) {
    return new Probe(Protocol.UDP, port, null, false, null, null, null);
  }

  public static Probe sctp(int port) {
    return new Probe(Protocol.SCTP, port, null, false, null, null, null);
  }

  public static Probe icmp() {
    return new Probe(Protocol.ICMP, 0, null, false, null, null, null);
  }

  /** Payload size (ICMP or UDP) with the DF bit set. */
  public Probe withDfSize(int bytes) {
    return new Probe(protocol, port, bytes, true, sourcePort, via, family);
  }

  /** Payload size (ICMP or UDP) without DF: the kernel may fragment. */
  public Probe withSize(int bytes) {
    return new Probe(protocol, port, bytes, false, sourcePort, via, family);
  }

  public Probe fromPort(int sport) {
    return new Probe(protocol, port, size, dontFragment, sport, via, family);
  }

  public Probe through(String node) {
    return new Probe(protocol, port, size, dontFragment, sourcePort, node, family);
  }

  /**
   * The address family (4 or 6) a named destination (pod, Service, ext, node) resolves to; an IP
   * literal decides for itself. Unset: the sandbox's first family.
   */
  public Probe inFamily(int f) {
    if (f != 4 && f != 6) {
      throw new IllegalArgumentException("family must be 4 or 6: " + f);
    }
    return new Probe(protocol, port, size, dontFragment, sourcePort, via, f);
  }

  List<String> cliArgs() {
    List<String> a = new ArrayList<>();
    switch (protocol) {
      case TCP -> a.addAll(List.of("--tcp", Integer.toString(port)));
      case UDP -> a.addAll(List.of("--udp", Integer.toString(port)));
      case SCTP -> a.addAll(List.of("--sctp", Integer.toString(port)));
      case ICMP -> a.add("--icmp");
    }
    if (size != null) {
      a.addAll(List.of("--size", Integer.toString(size)));
    }
    if (dontFragment) {
      a.add("--df");
    }
    if (sourcePort != null) {
      a.addAll(List.of("--sport", Integer.toString(sourcePort)));
    }
    if (via != null) {
      a.addAll(List.of("--via", via));
    }
    if (family != null) {
      a.addAll(List.of("--family", family.toString()));
    }
    return a;
  }
}
