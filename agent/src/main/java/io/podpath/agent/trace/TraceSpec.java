package io.podpath.agent.trace;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One TraceNode request inside the agent, validated: where the packet enters (a local pod's port or
 * a tunnel), the packet, the conntrack states to follow at each recirculation, and whether to
 * return ofproto/trace's raw text.
 */
public record TraceSpec(
    Ingress ingress, PacketHeaders packet, List<Set<CtState>> ctNext, boolean includeRaw) {
  public TraceSpec {
    Objects.requireNonNull(ingress, "ingress");
    Objects.requireNonNull(packet, "packet");
    ctNext = ctNext.stream().map(Set::copyOf).toList();
  }

  /** Where the packet enters the integration bridge. */
  public sealed interface Ingress {}

  /** From a local pod: its OVS interface (by iface-id {@code <ns>_<pod>}). */
  public record FromPod(PodName pod) implements Ingress {}

  /** From the tunnel whose remote end is {@code match.tunSrc()}. */
  public record FromTunnel(TunnelMatch match) implements Ingress {}
}
