package io.podpath.agent.checks;

import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ip.IpArgv;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.ip.IpRoute;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The largest pod MTU each tunnel port of the node carries: the MTU of the underlay link its
 * packets leave by (the route to REMOTE_IP, so tunnels OVN did not create count too), capped by a
 * route MTU, minus the encapsulation overhead of the port's type.
 */
record TunnelBudget(String port, String type, String underlay, int underlayMtu, int overhead) {

  int allowed() {
    return underlayMtu - overhead;
  }

  String describe() {
    return port
        + " ("
        + type
        + "): underlay "
        + underlay
        + " "
        + underlayMtu
        + " - "
        + overhead
        + " = "
        + allowed();
  }

  /** Overhead of one port's type on an IPv4 (or IPv6) underlay; empty for types not known. */
  static Optional<Integer> overhead(String type, boolean ovn, boolean ipv6) {
    int v6 = ipv6 ? 20 : 0;
    // OVN's Geneve carries an 8-byte option (logical in/out ports) on top of plain Geneve's 50.
    return switch (type) {
      case "geneve" -> Optional.of((ovn ? 58 : 50) + v6);
      case "vxlan" -> Optional.of(50 + v6);
      default -> Optional.empty();
    };
  }

  /**
   * One budget per working tunnel port; a port whose underlay cannot be told (remote_ip=flow and no
   * encap IP, no route) is named in the evidence and left out. One routing table read per family,
   * matched in memory: a node of a large cluster has a tunnel port per peer.
   */
  static List<TunnelBudget> of(CheckContext ctx, Findings f, OvsSnapshot snap, List<IpLink> addrs)
      throws AccessException, ProtocolException {
    List<TunnelBudget> out = new ArrayList<>();
    Map<Boolean, List<IpRoute>> tables = new HashMap<>();
    // a flow-based port (remote_ip=flow) once per peer its flows send to: the route to that peer
    // gives the underlay (OpenShift SDN writes no ovn-encap-ip); without such flows, as before
    List<OvsSnapshot.Iface> tunnels = new ArrayList<>(FlowTunnels.expand(ctx, snap));
    for (OvsSnapshot.Iface t : snap.interfaces()) {
      if (FlowTunnels.flowBased(t) && tunnels.stream().noneMatch(x -> x.name().equals(t.name()))) {
        tunnels.add(t);
      }
    }
    for (OvsSnapshot.Iface t : tunnels) {
      if (!t.isTunnel() || t.ofport() <= 0 || !t.error().isEmpty()) {
        continue;
      }
      Optional<InetAddress> remote = IpLiteral.tryParse(t.remoteIp());
      Optional<IpLink> link;
      int routeMtu = 0;
      boolean v6;
      if (remote.isPresent()) {
        v6 = remote.get() instanceof Inet6Address;
        List<IpRoute> table = tables.get(v6);
        if (table == null) {
          CommandOutput o = Reads.run(ctx, f, IpArgv.routeShow(v6));
          table = o.ok() ? IpJson.routes(o.stdout()) : List.of();
          tables.put(v6, table);
        }
        Optional<IpRoute> r = longestMatch(table, remote.get());
        link = r.flatMap(x -> IpLink.named(addrs, x.device()));
        routeMtu = r.map(IpRoute::mtu).orElse(0);
      } else {
        // remote_ip=flow: packets leave from the node's encap IP.
        Optional<String> encapIp = snap.encapIp();
        v6 = encapIp.map(ip -> ip.contains(":")).orElse(false);
        link = encapIp.flatMap(ip -> IpLink.holding(addrs, ip));
      }
      Optional<Integer> overhead = overhead(t.type(), snap.isOvn(), v6);
      if (link.isEmpty() || overhead.isEmpty()) {
        f.evidence(
            "tunnel " + t.name(),
            "underlay or overhead unknown (remote_ip " + t.remoteIp() + ", type " + t.type() + ")");
        continue;
      }
      int mtu = routeMtu > 0 ? Math.min(routeMtu, link.get().mtu()) : link.get().mtu();
      TunnelBudget b = new TunnelBudget(t.name(), t.type(), link.get().name(), mtu, overhead.get());
      if (!out.contains(b)) { // a flow-based port's peers usually share one underlay
        out.add(b);
      }
    }
    return out;
  }

  /** The unicast route with the longest prefix holding {@code ip} (main table, no policy rules). */
  static Optional<IpRoute> longestMatch(List<IpRoute> table, InetAddress ip) {
    return longestMatch(table, ip, r -> r.type().equals("unicast") && !r.device().isEmpty());
  }

  /**
   * The route among {@code table}'s {@code eligible} ones with the longest prefix holding {@code
   * ip}: with every route eligible, the one the main table gives (an {@code unreachable} one too).
   */
  static Optional<IpRoute> longestMatch(
      List<IpRoute> table, InetAddress ip, Predicate<IpRoute> eligible) {
    IpRoute best = null;
    int bestLen = -1;
    byte[] a = ip.getAddress();
    for (IpRoute r : table) {
      if (!eligible.test(r)) {
        continue;
      }
      String dst = r.destination();
      int len;
      byte[] net;
      if (dst.equals("default")) {
        len = 0;
        net = new byte[a.length];
      } else {
        int slash = dst.indexOf('/');
        Optional<InetAddress> n = IpLiteral.tryParse(slash < 0 ? dst : dst.substring(0, slash));
        if (n.isEmpty() || n.get().getAddress().length != a.length) {
          continue;
        }
        net = n.get().getAddress();
        try {
          len = slash < 0 ? a.length * 8 : Integer.parseInt(dst.substring(slash + 1));
        } catch (NumberFormatException e) {
          continue;
        }
      }
      if (len > bestLen && samePrefix(a, net, len)) {
        best = r;
        bestLen = len;
      }
    }
    return Optional.ofNullable(best);
  }

  private static boolean samePrefix(byte[] a, byte[] b, int len) {
    for (int bit = 0; bit < len && bit < a.length * 8; bit++) {
      int mask = 0x80 >> (bit % 8);
      if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }
}
