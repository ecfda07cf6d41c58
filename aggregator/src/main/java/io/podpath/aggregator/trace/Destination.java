package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.common.HostPort;
import java.util.Optional;

/**
 * Where one traced packet should end: a pod (possibly behind a Service VIP) or an external IP.
 * {@code port} is the port the pod receives on (after DNAT); 0 for ICMP.
 */
record Destination(String label, Optional<PodInfo> pod, String ip, int port, Optional<Vip> vip) {

  /** The Service VIP the packet is first sent to. */
  record Vip(ObjectRef service, String ip, int port) {
    @Override
    public String toString() {
      return "svc/" + service + " " + HostPort.of(ip, port);
    }
  }

  boolean external() {
    return pod.isEmpty();
  }

  /** The address the source sends to: the VIP for a Service, else the destination itself. */
  String sendIp() {
    return vip.map(Vip::ip).orElse(ip);
  }

  int sendPort() {
    return vip.map(Vip::port).orElse(port);
  }
}
