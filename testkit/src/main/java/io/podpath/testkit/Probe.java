package io.podpath.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * One real packet exchange sent by {@code hack/sandbox probe}.
 *
 * @param sourcePort fixed source port (TCP/UDP): a repeated probe is the same conntrack entry
 * @param via for source {@code ext}: the node the external host sends through (nodeI)
 */
public record Probe(
    Protocol protocol,
    int port,
    Integer size,
    boolean dontFragment,
    Integer sourcePort,
    String via) {

  public enum Protocol {
    TCP,
    UDP,
    ICMP
  }

  public static Probe tcp(int port) {
    return new Probe(Protocol.TCP, port, null, false, null, null);
  }

  public static Probe udp(int port) {
    return new Probe(Protocol.UDP, port, null, false, null, null);
  }

  public static Probe icmp() {
    return new Probe(Protocol.ICMP, 0, null, false, null, null);
  }

  /** Payload size (ICMP or UDP) with the DF bit set. */
  public Probe withDfSize(int bytes) {
    return new Probe(protocol, port, bytes, true, sourcePort, via);
  }

  /** Payload size (ICMP or UDP) without DF: the kernel may fragment. */
  public Probe withSize(int bytes) {
    return new Probe(protocol, port, bytes, false, sourcePort, via);
  }

  public Probe fromPort(int sport) {
    return new Probe(protocol, port, size, dontFragment, sport, via);
  }

  public Probe through(String node) {
    return new Probe(protocol, port, size, dontFragment, sourcePort, node);
  }

  List<String> cliArgs() {
    List<String> a = new ArrayList<>();
    switch (protocol) {
      case TCP -> a.addAll(List.of("--tcp", Integer.toString(port)));
      case UDP -> a.addAll(List.of("--udp", Integer.toString(port)));
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
    return a;
  }
}
