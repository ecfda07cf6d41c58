package io.podpath.aggregator.api.live;

import com.google.common.net.InetAddresses;
import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.util.IpLiteral;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Whether an address belongs to the cluster as the aggregator's inventory knows it: a pod, a
 * Service ClusterIP, a node's InternalIP or tunnel IP, or an address inside a node's pod subnet.
 * Anything else is outside, and a live trace sends a real packet there only when asked to.
 */
final class ClusterScope {
  private ClusterScope() {}

  /** Empty when {@code ip} is inside; else what the inventory was searched for, for the error. */
  static Optional<String> outside(ClusterIndex cluster, String ip) {
    Optional<String> canonical = IpLiteral.canonical(ip);
    if (canonical.isEmpty()) {
      return Optional.of("'" + ip + "' is not an IP address");
    }
    String a = canonical.get();
    if (cluster.podByIp(a).isPresent() || cluster.serviceByClusterIp(a).isPresent()) {
      return Optional.empty();
    }
    InetAddress addr = InetAddresses.forString(a);
    for (NodeInfo n : cluster.nodes()) {
      if (n.internalIps().contains(a) || a.equals(n.encapIp())) {
        return Optional.empty();
      }
      for (String subnet : n.podSubnets()) {
        if (contains(subnet, addr)) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(
        a
            + " is outside the cluster: no pod, Service ClusterIP, node address or node pod subnet"
            + " of the inventory has it");
  }

  /** {@code cidr} ("10.244.1.0/24"; a malformed one contains nothing) holds {@code a}. */
  static boolean contains(String cidr, InetAddress a) {
    int slash = cidr.indexOf('/');
    Optional<String> net = IpLiteral.canonical(slash < 0 ? cidr : cidr.substring(0, slash));
    if (net.isEmpty() || slash < 0) {
      return net.isPresent() && net.get().equals(InetAddresses.toAddrString(a));
    }
    byte[] n = InetAddresses.forString(net.get()).getAddress();
    byte[] b = a.getAddress();
    String len = cidr.substring(slash + 1);
    if (n.length != b.length
        || len.isEmpty()
        || len.length() > 3
        || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    int bits = Integer.parseInt(len);
    if (bits > n.length * 8) {
      return false;
    }
    for (int i = 0; i < n.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      int mask = keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff;
      if ((n[i] & mask) != (b[i] & mask)) {
        return false;
      }
    }
    return true;
  }
}
