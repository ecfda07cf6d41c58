package io.podpath.agent.ip;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One link as {@code ip -j addr} / {@code ip [-s] -j link} prints it. {@code linkIndex} is the
 * peer's ifindex (iflink) for a veth, in the namespace named by {@code linkNetnsid}; the counters
 * are {@link Counters#NONE} unless {@code -s} was given.
 */
public record IpLink(
    int ifindex,
    String name,
    OptionalInt linkIndex,
    OptionalInt linkNetnsid,
    int mtu,
    String mac,
    String operstate,
    List<String> flags,
    List<IpAddr> addrs,
    Counters rx,
    Counters tx) {

  /** The link named {@code name} in {@code links}. */
  public static Optional<IpLink> named(List<IpLink> links, String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /** The link holding address {@code ip} in {@code links} (from {@code ip -j addr}). */
  public static Optional<IpLink> holding(List<IpLink> links, String ip) {
    return links.stream()
        .filter(l -> l.addrs().stream().anyMatch(a -> a.local().equals(ip)))
        .findFirst();
  }

  /** Packet, error and drop counters of one direction ({@code ip -s}'s stats64). */
  public record Counters(long packets, long errors, long dropped) {
    public static final Counters NONE = new Counters(0, 0, 0);
  }

  /** One address of a link. */
  public record IpAddr(String family, String local, int prefixlen, String scope) {
    /** "10.244.1.3/24". */
    public String cidr() {
      return local + "/" + prefixlen;
    }
  }
}
