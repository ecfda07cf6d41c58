package io.podpath.agent.trace;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One TraceNode request inside the agent, validated: where the packet enters (a local pod's port or
 * a tunnel), the packet, the conntrack states to follow at each recirculation, whether to return
 * ofproto/trace's raw text, and the packet's IP length ({@code size}, 0 = headers only) and DF bit.
 */
public record TraceSpec(
    Ingress ingress,
    PacketHeaders packet,
    List<Set<CtState>> ctNext,
    boolean includeRaw,
    int size,
    boolean df) {
  public TraceSpec {
    Objects.requireNonNull(ingress, "ingress");
    Objects.requireNonNull(packet, "packet");
    ctNext = ctNext.stream().map(Set::copyOf).toList();
    if (size < 0 || size > 65535) {
      throw new IllegalArgumentException("size out of range: " + size);
    }
  }

  /** A small packet with DF set. */
  public TraceSpec(
      Ingress ingress, PacketHeaders packet, List<Set<CtState>> ctNext, boolean includeRaw) {
    this(ingress, packet, ctNext, includeRaw, 0, true);
  }

  /** The IP length: the request's size, or the headers alone when it gave none. */
  public int ipLength() {
    if (size > 0) {
      return size;
    }
    int ip = packet.ipv6() ? 40 : 20;
    return ip
        + switch (packet.protocol()) {
          case TCP -> 20;
          case SCTP -> 12;
          case UDP, ICMP -> 8;
        };
  }

  /** Where the packet enters the integration bridge. */
  public sealed interface Ingress {}

  /** From a local pod: its OVS interface (by iface-id {@code <ns>_<pod>}). */
  public record FromPod(PodName pod) implements Ingress {}

  /** From the tunnel whose remote end is {@code match.tunSrc()}. */
  public record FromTunnel(TunnelMatch match) implements Ingress {}

  /**
   * From a host-side OVS port (its interface a device of the node's stack), after the node kernel
   * routed the packet there: the tracer checks that {@code ofport} is such a port of {@code
   * bridge}.
   */
  public record FromHostPort(String bridge, int ofport) implements Ingress {}
}
