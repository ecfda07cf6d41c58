package io.podpath.testkit;

import java.util.ArrayList;
import java.util.List;

/** One real packet exchange sent by {@code hack/sandbox probe}. */
public record Probe(Protocol protocol, int port, Integer size, boolean dontFragment) {

  public enum Protocol {
    TCP,
    UDP,
    ICMP
  }

  public static Probe tcp(int port) {
    return new Probe(Protocol.TCP, port, null, false);
  }

  public static Probe udp(int port) {
    return new Probe(Protocol.UDP, port, null, false);
  }

  public static Probe icmp() {
    return new Probe(Protocol.ICMP, 0, null, false);
  }

  /** Payload size (ICMP or UDP) with the DF bit set. */
  public Probe withDfSize(int bytes) {
    return new Probe(protocol, port, bytes, true);
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
    return a;
  }
}
