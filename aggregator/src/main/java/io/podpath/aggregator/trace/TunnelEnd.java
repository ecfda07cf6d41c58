package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.NodeInfo;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A node's end of a tunnel, where nothing on the node names the address its tunnels use. */
final class TunnelEnd {
  private TunnelEnd() {}

  /**
   * The node's encap IP when it is of the remote end's family, else its InternalIP of that family
   * (a flow-based tunnel to an IPv6 peer leaves from the node's IPv6 address, as Antrea's does on
   * an IPv6 underlay), else the encap IP.
   */
  static String local(NodeInfo n, String remoteIp) {
    return ofFamily(n, remoteIp.contains(":")).orElse(n.encapIp());
  }

  /**
   * Every address a tunnel to the node may use: its encap IP, then its other InternalIPs (a CNI
   * that writes no encap annotation tunnels to whichever of them its underlay speaks: ovs mode over
   * an IPv6 underlay to the IPv6 one).
   */
  static List<String> addresses(NodeInfo n) {
    return Stream.concat(Stream.of(n.encapIp()), n.internalIps().stream())
        .filter(a -> !a.isEmpty())
        .distinct()
        .toList();
  }

  /**
   * The address a tunnel to {@code peer} would have, of the underlay family that {@code
   * underlayRemotes} (remote IPs of tunnels that exist between the nodes) show; the encap IP when
   * they show none.
   */
  static String remote(NodeInfo peer, List<String> underlayRemotes) {
    return underlayRemotes.stream()
        .filter(TunnelEnd::isAddress)
        .findFirst()
        .flatMap(r -> ofFamily(peer, r.contains(":")))
        .orElse(peer.encapIp());
  }

  /** A tunnel's remote IP, not "flow" (a port whose remote is set per flow). */
  static boolean isAddress(String remote) {
    return remote.contains(".") || remote.contains(":");
  }

  private static Optional<String> ofFamily(NodeInfo n, boolean v6) {
    if (n.encapIp().contains(":") == v6 && !n.encapIp().isEmpty()) {
      return Optional.of(n.encapIp());
    }
    return n.internalIps().stream().filter(a -> a.contains(":") == v6).findFirst();
  }
}
