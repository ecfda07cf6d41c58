package io.podpath.agent.kernel;

import io.podpath.agent.kernel.iptables.Ruleset;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the kernel hop reads from a node once per snapshot: iptables rules, addresses per interface,
 * forwarding and rp_filter (global "all" and per interface), interface MTUs, kernel conntrack fill
 * (empty when the node has no nf_conntrack), and the host-side OVS ports (from OVSDB interface
 * types: packets routed to them go back into OVS), and the IPv6 side ({@link Ipv6Facts}).
 */
public record KernelFacts(
    String node,
    Ruleset rules,
    Map<String, Set<IpAddr>> addresses,
    boolean ipForward,
    Map<String, Boolean> forwarding,
    int rpFilterAll,
    Map<String, Integer> rpFilter,
    Map<String, Integer> mtu,
    OptionalLong conntrackCount,
    OptionalLong conntrackMax,
    Set<String> ovsPorts,
    Ipv6Facts v6) {
  public KernelFacts {
    java.util.Objects.requireNonNull(v6, "v6");
    addresses = Map.copyOf(addresses);
    forwarding = Map.copyOf(forwarding);
    rpFilter = Map.copyOf(rpFilter);
    mtu = Map.copyOf(mtu);
    ovsPorts = Set.copyOf(ovsPorts);
  }

  public Set<IpAddr> localAddresses() {
    return addresses.values().stream()
        .flatMap(Set::stream)
        .collect(java.util.stream.Collectors.toSet());
  }

  /** The kernel uses the larger of conf/all and conf/IF (0 off, 1 strict, 2 loose). */
  public int rpFilterOf(String dev) {
    return Math.max(rpFilterAll, rpFilter.getOrDefault(dev, 0));
  }

  /** The interface's first IPv4 address. */
  public Optional<IpAddr> firstAddress(String dev) {
    return firstAddress(dev, false);
  }

  /** The interface's first address of the family (IPv6: not link-local, as MASQUERADE picks). */
  public Optional<IpAddr> firstAddress(String dev, boolean v6) {
    return addresses.getOrDefault(dev, Set.of()).stream()
        .filter(a -> a.v6() == v6 && !a.isLinkLocal())
        .sorted()
        .findFirst();
  }
}
