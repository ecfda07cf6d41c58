package io.podpath.agent.ip;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

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

  /**
   * The link holding address {@code ip} in {@code links} (from {@code ip -j addr}). Compared as
   * addresses, not text: OVSDB may hold an IPv6 encap IP in a longer form than {@code ip} prints.
   */
  public static Optional<IpLink> holding(List<IpLink> links, String ip) {
    Optional<InetAddress> wanted = literal(ip);
    return links.stream()
        .filter(
            l ->
                l.addrs().stream()
                    .anyMatch(a -> a.local().equals(ip) || wanted.equals(literal(a.local()))))
        .findFirst();
  }

  private static Optional<InetAddress> literal(String ip) {
    return InetAddresses.isInetAddress(ip)
        ? Optional.of(InetAddresses.forString(ip))
        : Optional.empty();
  }

  /**
   * The most common MTU among the links named {@code names} (a node's pod veths), the larger on a
   * tie; 0 when none of them is in {@code links}.
   */
  public static int commonMtu(List<IpLink> links, Collection<String> names) {
    Set<String> wanted = Set.copyOf(names);
    Map<Integer, Long> counts =
        links.stream()
            .filter(l -> wanted.contains(l.name()))
            .collect(Collectors.groupingBy(IpLink::mtu, Collectors.counting()));
    return counts.entrySet().stream()
        .max(Map.Entry.<Integer, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .orElse(0);
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
