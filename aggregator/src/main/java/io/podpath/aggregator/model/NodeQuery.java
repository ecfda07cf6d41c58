package io.podpath.aggregator.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One node's part of a trace: where the packet enters the node's OVS and the packet itself. {@code
 * reply} says the packet belongs to an established connection in the reply direction (conntrack
 * state est,rpl at every recirculation) rather than opening a new one. {@code
 * includeConntrackEntries} asks the agent to list the conntrack entries matching the packet. {@code
 * lbBackend}: when the trace stops at an OVN load balancer's choice of backend, the agent continues
 * it as the node's group bucket for this backend does.
 */
public record NodeQuery(
    Ingress ingress,
    TracedPacket packet,
    boolean reply,
    boolean includeRaw,
    boolean includeConntrackEntries,
    Optional<LbBackend> lbBackend) {

  public NodeQuery {
    Objects.requireNonNull(lbBackend, "lbBackend");
  }

  /** No load balancer backend to continue to. */
  public NodeQuery(
      Ingress ingress,
      TracedPacket packet,
      boolean reply,
      boolean includeRaw,
      boolean includeConntrackEntries) {
    this(ingress, packet, reply, includeRaw, includeConntrackEntries, Optional.empty());
  }

  /** A load balancer's backend: its address and port (0 for ICMP). */
  public record LbBackend(String ip, int port) {}

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

  /**
   * Sent by the node's own network stack: the node kernel first (OUTPUT, route, POSTROUTING); an
   * empty packet source means the source the kernel chooses.
   */
  public record FromHost() implements Ingress {}

  /**
   * From outside the cluster, arriving at the node's uplink: {@code device}, or (empty) the
   * interface the node routes the packet's source by, as the node's agent finds it.
   */
  public record FromUplink(String device) implements Ingress {}

  /** From an OVS host-side port the node's kernel routed the packet to. */
  public record FromOvsPort(String bridge, int ofport) implements Ingress {}

  public NodeQuery withPacket(TracedPacket p) {
    return new NodeQuery(ingress, p, reply, includeRaw, includeConntrackEntries, lbBackend);
  }

  /** The same query, to be continued past the load balancer to {@code backend}. */
  public NodeQuery withLbBackend(LbBackend backend) {
    return new NodeQuery(
        ingress, packet, reply, includeRaw, includeConntrackEntries, Optional.of(backend));
  }
}
