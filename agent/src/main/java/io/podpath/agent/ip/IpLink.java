package io.podpath.agent.ip;

import java.util.List;
import java.util.OptionalInt;

/**
 * One link as {@code ip -j addr} / {@code ip -j link} prints it. {@code linkIndex} is the peer's
 * ifindex (iflink) for a veth, in the namespace named by {@code linkNetnsid}.
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
    List<IpAddr> addrs) {

  /** One address of a link. */
  public record IpAddr(String family, String local, int prefixlen, String scope) {
    /** "10.244.1.3/24". */
    public String cidr() {
      return local + "/" + prefixlen;
    }
  }
}
