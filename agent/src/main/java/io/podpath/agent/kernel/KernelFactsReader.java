package io.podpath.agent.kernel;

import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.kernel.iptables.IptablesSave;
import io.podpath.agent.kernel.iptables.Ruleset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads one node's {@link KernelFacts} through {@link NodeAccess}. */
public final class KernelFactsReader {
  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

  private KernelFactsReader() {}

  /** {@code ovsPorts}: the host-side OVS ports (internal interfaces) found in OVSDB. */
  public static KernelFacts read(String node, NodeAccess n, Set<String> ovsPorts) {
    CommandResult save = n.run(List.of("iptables-save"));
    if (!save.ok()) {
      throw new KernelParseException("iptables-save failed: " + save.stderr().strip());
    }
    Ruleset rules = IptablesSave.parse(save.stdout());
    CommandResult addr = n.run(List.of("ip", "-j", "addr", "show"));
    if (!addr.ok()) {
      throw new KernelParseException("ip addr failed: " + addr.stderr().strip());
    }
    Map<String, Set<IpAddr>> addrs = new HashMap<>();
    Map<String, Integer> mtu = new HashMap<>();
    Map<String, Boolean> fwd = new HashMap<>();
    Map<String, Integer> rp = new HashMap<>();
    Map<String, Boolean> fwd6 = new HashMap<>();
    for (IpLink l : IpJson.links(addr.stdout())) {
      Set<IpAddr> a = new HashSet<>();
      l.addrs().forEach(x -> IpAddr.tryParse(x.local()).ifPresent(a::add));
      addrs.put(l.name(), a);
      mtu.put(l.name(), l.mtu());
      if (IFNAME.matcher(l.name()).matches()) {
        n.read("/proc/sys/net/ipv4/conf/" + l.name() + "/forwarding")
            .ifPresent(v -> fwd.put(l.name(), v.strip().equals("1")));
        n.read("/proc/sys/net/ipv4/conf/" + l.name() + "/rp_filter")
            .ifPresent(v -> rp.put(l.name(), intOr(v, 0)));
        n.read("/proc/sys/net/ipv6/conf/" + l.name() + "/forwarding")
            .ifPresent(v -> fwd6.put(l.name(), v.strip().equals("1")));
      }
    }
    boolean ipForward =
        n.read("/proc/sys/net/ipv4/ip_forward").map(v -> v.strip().equals("1")).orElse(false);
    int rpAll = n.read("/proc/sys/net/ipv4/conf/all/rp_filter").map(v -> intOr(v, 0)).orElse(0);
    return new KernelFacts(
        node,
        rules,
        addrs,
        ipForward,
        fwd,
        rpAll,
        rp,
        mtu,
        number(n.read("/proc/sys/net/netfilter/nf_conntrack_count")),
        number(n.read("/proc/sys/net/netfilter/nf_conntrack_max")),
        ovsPorts,
        v6(n, fwd6));
  }

  /** The IPv6 side; a node without IPv6 (no /proc/sys/net/ipv6) has none, not an error. */
  private static Ipv6Facts v6(NodeAccess n, Map<String, Boolean> fwd6) {
    Optional<String> all = n.read("/proc/sys/net/ipv6/conf/all/forwarding");
    if (all.isEmpty()) {
      return Ipv6Facts.NONE;
    }
    CommandResult save = n.run(List.of("ip6tables-save"));
    if (!save.ok()) {
      throw new KernelParseException("ip6tables-save failed: " + save.stderr().strip());
    }
    return new Ipv6Facts(
        true, IptablesSave.parse(save.stdout()), all.get().strip().equals("1"), fwd6);
  }

  private static OptionalLong number(Optional<String> v) {
    try {
      return v.isPresent()
          ? OptionalLong.of(Long.parseLong(v.get().strip()))
          : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static int intOr(String v, int d) {
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      return d;
    }
  }
}
