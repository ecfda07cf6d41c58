package io.podpath.aggregator.model;

import java.util.List;

/**
 * One node's part of a trace: where the packet enters the node's OVS and the packet itself. {@code
 * reply} says the packet belongs to an established connection in the reply direction (conntrack
 * state est,rpl at every recirculation) rather than opening a new one. {@code
 * includeConntrackEntries} asks the agent to list the conntrack entries matching the packet.
 */
public record NodeQuery(
    Ingress ingress,
    TracedPacket packet,
    boolean reply,
    boolean includeRaw,
    boolean includeConntrackEntries) {

  /** Where the packet enters the node. */
  public sealed interface Ingress {}

  /** From a pod's OVS port. */
  public record FromPod(String namespace, String name) implements Ingress {}

  /** From the tunnel port whose remote is {@code tunSrc}, as it left the previous node. */
  public record FromTunnel(String tunSrc, String tunDst, long tunId, List<TunnelOption> options)
      implements Ingress {
    public FromTunnel {
      options = List.copyOf(options);
    }
  }

  public NodeQuery withPacket(TracedPacket p) {
    return new NodeQuery(ingress, p, reply, includeRaw, includeConntrackEntries);
  }
}
