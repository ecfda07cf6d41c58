package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.PodInfo;
import java.util.Optional;

/**
 * What one direction should reach: a pod, or (when {@code pod} is empty) an address outside the
 * cluster. {@code dnat} is set when the packet is first sent to a Service VIP.
 */
record Goal(String from, String to, Optional<PodInfo> pod, Optional<Dnat> dnat) {

  /** The endpoint a Service VIP is DNATed to for this trace. */
  record Dnat(Destination.Vip vip, String ip, int port) {}
}
