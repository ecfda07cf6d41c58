package io.podpath.agent.trace;

import io.podpath.agent.ip.IpLiteral;
import java.util.Optional;

/**
 * A packet OVS itself puts out of another bridge's physical port (OVN-Kubernetes' shared gateway:
 * the gateway router SNATs pod traffic to the node IP, and breth0 sends it out of the NIC) never
 * meets the node's kernel: no route, FORWARD chain or ip_forward on its way. Says so, with the
 * source it leaves with.
 */
final class GatewaySnat {
  private GatewaySnat() {}

  static Optional<TraceFinding> finding(
      Outcome outcome, Optional<KernelPart> hop, PacketHeaders sent, PacketHeaders emitted) {
    if (outcome.kind() != Outcome.Kind.GATEWAY
        || hop.isPresent()
        || emitted.src().equals(sent.src())) {
      return Optional.empty();
    }
    return Optional.of(
        TraceFinding.info(
            "ovs-snat-egress",
            "leaves OVS by "
                + outcome.portName()
                + " with source "
                + IpLiteral.format(emitted.src())
                + " (SNAT in OVS from "
                + IpLiteral.format(sent.src())
                + "); the node's kernel (routes, iptables, ip_forward) is not on its way"));
  }
}
