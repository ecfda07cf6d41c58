package io.podpath.agent.trace;

import io.podpath.agent.errors.FailedPreconditionException;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.kernel.IpAddr;
import io.podpath.agent.kernel.KernelPacket;
import io.podpath.agent.kernel.RouteAnswer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A packet from outside the cluster entering this node (HostIngress KIND_UPLINK): the interface it
 * arrives on is the one the node routes its source by (the node's own answer, never a name), and
 * when that interface is no OVS bridge's LOCAL port the packet goes straight into the kernel.
 */
final class UplinkEntry {
  private final String node;
  private final KernelStage kernel;

  UplinkEntry(String node, KernelStage kernel) {
    this.node = node;
    this.kernel = kernel;
  }

  /** The device the node routes the packet's source by: where packets from it arrive. */
  String device(PacketHeaders p, Instant deadline) {
    IpAddr src = IpAddr.parse("src", IpLiteral.format(p.src()));
    RouteAnswer a = kernel.routes().until(deadline).get(src, Optional.empty(), Optional.empty(), 0);
    if (a instanceof RouteAnswer.Route r && r.type().equals("unicast")) {
      return r.device();
    }
    throw new FailedPreconditionException(
        node
            + " has no route back to "
            + src
            + " ("
            + (a instanceof RouteAnswer.Unroutable u ? u.message() : ((RouteAnswer.Route) a).type())
            + "), so no interface a packet from it arrives on; name the interface");
  }

  /**
   * The packet arriving on {@code device} straight into the kernel (PREROUTING, the route, FORWARD
   * or INPUT, POSTROUTING): only its kernel part; the aggregator continues in OVS from the port the
   * kernel routes it to.
   */
  NodeTraceResult arrives(
      String bridge, HostSidePorts hostSide, TraceSpec spec, String device, Instant deadline) {
    List<TraceFinding> findings = new ArrayList<>();
    PacketHeaders h = spec.packet();
    KernelPacket p =
        new KernelPacket(
            KernelStage.proto(h.protocol()),
            IpAddr.parse("src", IpLiteral.format(h.src())),
            IpAddr.parse("dst", IpLiteral.format(h.dst())),
            h.srcPort(),
            h.dstPort(),
            spec.ipLength(),
            spec.df(),
            Optional.of(device),
            KernelStage.ctState(spec),
            0,
            KernelStage.preferredBackend(spec));
    KernelPart part = kernel.run(p, device, hostSide, findings, deadline);
    return kernel.kernelOnly(bridge, "entered " + node + "'s kernel by " + device, part, findings);
  }
}
