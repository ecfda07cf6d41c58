package io.podpath.agent.checks;

import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ip.IpArgv;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpLink;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** IPv4 (and IPv6 where the node has it) forwarding, and strict rp_filter on pod interfaces. */
public final class IpForwardCheck implements Check {
  public static final String ID = "ip-forward";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CheckResult run(CheckContext ctx) {
    Findings f = new Findings(ID);
    try {
      Optional<String> v4 = Reads.file(ctx, f, "/proc/sys/net/ipv4/ip_forward");
      boolean v6Only = ipv6OnlyPods(ctx.cluster());
      if (v6Only && !v4.equals(Optional.of("1"))) {
        // the kernel's IPv4 and IPv6 forwarding are separate switches: IPv6 pods never need IPv4's
        f.evidence(
            "ipv4",
            "every pod of this node is IPv6-only: net.ipv4.ip_forward="
                + v4.orElse("absent")
                + " forwards none of their traffic");
      } else if (v4.isEmpty() || !v4.get().equals("1")) {
        f.problem(
            CheckStatus.FAIL,
            "net.ipv4.ip_forward=" + v4.orElse("absent") + ": " + consequence(snapshot(ctx)),
            "sysctl -w net.ipv4.ip_forward=1, and persist it in /etc/sysctl.d/ so a reboot"
                + " or a tuning daemon does not turn it off again.");
      }
      List<IpLink> links = IpJson.links(Reads.run(ctx, f, IpArgv.addrShow()).stdout());
      boolean hasV6 =
          links.stream()
              .flatMap(l -> l.addrs().stream())
              .anyMatch(a -> a.family().equals("inet6") && a.scope().equals("global"));
      if (hasV6) {
        Optional<String> v6 = Reads.file(ctx, f, "/proc/sys/net/ipv6/conf/all/forwarding");
        if (v6.isPresent() && !v6.get().equals("1")) {
          f.problem(
              CheckStatus.FAIL,
              "net.ipv6.conf.all.forwarding="
                  + v6.get()
                  + " on a node with global IPv6 addresses: for IPv6, "
                  + consequence(snapshot(ctx)),
              "sysctl -w net.ipv6.conf.all.forwarding=1, and persist it in /etc/sysctl.d/ so a"
                  + " reboot or a tuning daemon does not turn it off again.");
        }
      } else {
        f.evidence("ipv6", "no global IPv6 address on the node: IPv6 forwarding not checked");
      }
      checkRpFilter(ctx, f);
    } catch (AccessException | ProtocolException e) {
      return f.unknown("could not read forwarding settings: " + e.getMessage());
    }
    return f.result(
        (ipv6OnlyPods(ctx.cluster()) ? "IPv6" : "IPv4")
            + " forwarding is on; no strict rp_filter on pod interfaces");
  }

  /** The aggregator lists this node's pods and each has IPv6 addresses only. */
  static boolean ipv6OnlyPods(ClusterFacts c) {
    return !c.localPods().isEmpty()
        && c.localPods().stream()
            .allMatch(p -> !p.ips().isEmpty() && p.ips().stream().allMatch(ip -> ip.contains(":")));
  }

  private static Optional<OvsSnapshot> snapshot(CheckContext ctx) {
    try {
      return Optional.of(ctx.ovs().snapshot());
    } catch (AccessException e) {
      return Optional.empty(); // the ovs check reports the outage
    }
  }

  /**
   * What stops working, from what the node shows (not from a CNI's name): when OVN switches the
   * pods (the Open_vSwitch row has ovn-remote), pod-to-pod traffic stays in OVS and its tunnels and
   * never needs the kernel to forward; what the kernel forwards is what the host routes for pods,
   * through the bridge's host-side ports. Without OVN, the kernel may route pod traffic itself.
   */
  static String consequence(Optional<OvsSnapshot> snap) {
    if (snap.isEmpty()) {
      return "the kernel does not forward between interfaces: traffic the host routes to or"
          + " from pods is dropped (OVSDB unreadable, so which pod traffic that is was not"
          + " determined)";
    }
    Set<String> hostPorts = new TreeSet<>();
    for (OvsSnapshot.Iface i : snap.get().interfaces()) {
      if (i.type().equals("internal") && !i.ifaceId().isEmpty()) {
        hostPorts.add(i.name());
      }
    }
    String via = hostPorts.isEmpty() ? "the host" : "the host-side port(s) " + hostPorts;
    if (snap.get().isOvn()) {
      return "OVN switches this node's pods (ovn-remote is set), so pod-to-pod traffic through"
          + " OVS and its tunnels keeps working; what the kernel no longer forwards is pod"
          + " traffic routed through "
          + via
          + ": egress leaving through the node and NodePort/external traffic the host hands to"
          + " pods";
    }
    return "pod traffic the kernel routes is dropped: traffic between pods on this node's OVS"
        + " ports and anything reached through "
        + via
        + " (other nodes, egress, NodePorts) when the host routes it";
  }

  private static void checkRpFilter(CheckContext ctx, Findings f) throws AccessException {
    int all =
        Reads.file(ctx, f, "/proc/sys/net/ipv4/conf/all/rp_filter")
            .map(Integer::parseInt)
            .orElse(0);
    Set<String> strict = new TreeSet<>();
    for (String ifname : podTrafficInterfaces(ctx)) {
      Optional<String> v = Reads.file(ctx, f, "/proc/sys/net/ipv4/conf/" + ifname + "/rp_filter");
      // The kernel uses the larger of conf/all and conf/<if>; 1 is strict.
      if (v.isPresent() && Math.max(all, Integer.parseInt(v.get())) == 1) {
        strict.add(ifname);
      }
    }
    if (!strict.isEmpty()) {
      f.problem(
          CheckStatus.WARN,
          "strict rp_filter (1) on pod-traffic interfaces " + strict,
          "Use loose reverse-path filtering (rp_filter=2) on pod-facing and management"
              + " interfaces: strict mode drops asymmetric pod traffic.");
    }
  }

  /** The management port and pod ports on the integration bridge (names safe for a path). */
  static Set<String> podTrafficInterfaces(CheckContext ctx) {
    Set<String> out = new TreeSet<>();
    try {
      for (OvsSnapshot.Iface i : ctx.ovs().snapshot().interfaces()) {
        if (!i.ifaceId().isEmpty() && !i.isTunnel() && Reads.validIfname(i.name())) {
          out.add(i.name());
        }
      }
    } catch (AccessException e) {
      // Without OVSDB only the global value is judged; the ovs check reports the outage.
    }
    return out;
  }
}
