package io.podpath.agent.trace;

import io.podpath.agent.errors.InvalidArgumentException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything {@link FlowBuilder} needs, resolved and validated: the bridge, the OpenFlow port the
 * packet enters by (a pod's port or a tunnel port), the tunnel metadata when it comes from a
 * tunnel, the packet, and the conntrack states to follow.
 */
public record FlowRequest(
    String bridge,
    int inPort,
    Optional<TunnelMatch> tunnel,
    PacketHeaders packet,
    List<Set<CtState>> ctNext) {
  static final int LOCAL = 0xFFFE;
  private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

  public FlowRequest {
    Objects.requireNonNull(bridge, "bridge");
    if (!BRIDGE.matcher(bridge).matches()) {
      throw new InvalidArgumentException("bridge", "not an interface name");
    }
    // 0xFFFE is OFPP_LOCAL: a bridge's own internal port, where the node kernel hands packets back
    if ((inPort < 1 || inPort > 0xFEFF) && inPort != LOCAL) {
      throw new InvalidArgumentException("in_port", "not an OpenFlow port number: " + inPort);
    }
    Objects.requireNonNull(tunnel, "tunnel");
    Objects.requireNonNull(packet, "packet");
    ctNext = ctNext.stream().map(Set::copyOf).toList();
    for (Set<CtState> s : ctNext) {
      if (s.isEmpty()) {
        throw new InvalidArgumentException("ct_next", "an empty set of conntrack flags");
      }
    }
  }
}
