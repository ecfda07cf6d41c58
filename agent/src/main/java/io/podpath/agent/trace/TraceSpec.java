package io.podpath.agent.trace;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One TraceNode request inside the agent, validated: where the packet enters (a local pod's port or
 * a tunnel), the packet, the conntrack states to follow at each recirculation, whether to return
 * ofproto/trace's raw text, the packet's IP length ({@code size}, 0 = headers only) and DF bit, and
 * the load balancer backend to continue through when the trace stops at a backend choice.
 */
public record TraceSpec(
    Ingress ingress,
    PacketHeaders packet,
    List<Set<CtState>> ctNext,
    boolean includeRaw,
    int size,
    boolean df,
    Optional<LbBackend> lbBackend) {
  public TraceSpec {
    Objects.requireNonNull(ingress, "ingress");
    Objects.requireNonNull(packet, "packet");
    Objects.requireNonNull(lbBackend, "lbBackend");
    ctNext = ctNext.stream().map(Set::copyOf).toList();
    if (size < 0 || size > 65535) {
      throw new IllegalArgumentException("size out of range: " + size);
    }
  }

  /** No load balancer backend to continue through. */
  public TraceSpec(
      Ingress ingress,
      PacketHeaders packet,
      List<Set<CtState>> ctNext,
      boolean includeRaw,
      int size,
      boolean df) {
    this(ingress, packet, ctNext, includeRaw, size, df, Optional.empty());
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

  /** The same request with other headers and conntrack states, and no backend to continue to. */
  public TraceSpec continued(PacketHeaders p, List<Set<CtState>> states) {
    return new TraceSpec(ingress, p, states, includeRaw, size, df, Optional.empty());
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

  /**
   * Made by the node's own network stack (SRC node/NAME): the kernel's OUTPUT path first. A packet
   * source of 0.0.0.0 means the source the kernel chooses (the route's preferred source).
   */
  public record FromHost() implements Ingress {}

  /**
   * From outside the cluster, arriving at the node's uplink (HostIngress KIND_UPLINK): {@code
   * device} is the interface it arrives on, or empty for the one the node routes the packet's
   * source by (discovered on the node).
   */
  public record FromUplink(Optional<String> device) implements Ingress {
    public FromUplink {
      Objects.requireNonNull(device, "device");
    }
  }
}
