package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.PodInfo;
import java.util.Optional;

/**
 * What one direction should reach: a pod, or (when {@code pod} is empty) an address outside the
 * cluster. {@code dnat} is set when the packet is first sent to a Service VIP.
 */
record Goal(
    String from, String to, Optional<PodInfo> pod, Optional<Dnat> dnat, Optional<UnNat> unNat) {

  Goal(String from, String to, Optional<PodInfo> pod, Optional<Dnat> dnat) {
    this(from, to, pod, dnat, Optional.empty());
  }

  /**
   * The reply of a connection {@code node} NATed on the way in (a NodePort: DNAT, then SNAT to
   * {@code natIp}): when the reply reaches {@code natIp} in that node's kernel, conntrack sends it
   * on to {@code origIp:origPort} (the outside source) from {@code vipIp:vipPort} (the address the
   * source sent to).
   */
  record UnNat(String node, String natIp, String origIp, int origPort, String vipIp, int vipPort) {}

  /** The endpoint a Service VIP is DNATed to for this trace. */
  record Dnat(Destination.Vip vip, String ip, int port) {}
}
