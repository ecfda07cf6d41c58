package io.podpath.agent.kernel;

import io.podpath.agent.kernel.iptables.Ruleset;
import java.util.Map;

/**
 * What the kernel hop reads for IPv6 packets: the ip6tables rules, {@code
 * net.ipv6.conf.all.forwarding} (what ip6_forward checks) and the per-interface values (shown, as
 * the kernel only consults them for router behaviour). {@code present}: the node has IPv6 at all
 * (/proc/sys/net/ipv6 exists); IPv6 has no rp_filter.
 */
public record Ipv6Facts(
    boolean present, Ruleset rules, boolean forwarding, Map<String, Boolean> forwardingByDevice) {
  public static final Ipv6Facts NONE = new Ipv6Facts(false, Ruleset.EMPTY, false, Map.of());

  public Ipv6Facts {
    forwardingByDevice = Map.copyOf(forwardingByDevice);
  }
}
