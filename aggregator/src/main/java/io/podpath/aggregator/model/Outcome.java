package io.podpath.aggregator.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How a node's OVS ends the packet's trip through it. */
public sealed interface Outcome {
  /** Output to a pod's port on this node; {@code pod} when the agent knows whose it is. */
  record ToPod(String portName, Optional<PodName> pod, String podIp) implements Outcome {
    /** A pod OVSDB names (or none): no pod IP. */
    public ToPod(String portName, Optional<PodName> pod) {
      this(portName, pod, "");
    }
  }

  /** Output to a tunnel towards {@code remoteIp}; {@code inner} is the packet as it leaves. */
  record ToTunnel(
      String portName,
      String remoteIp,
      String localIp,
      long vni,
      List<TunnelOption> options,
      Optional<TracedPacket> inner,
      boolean viaFabric)
      implements Outcome {
    public ToTunnel {
      options = List.copyOf(options);
    }

    /** A tunnel to a peer node. */
    public ToTunnel(
        String portName,
        String remoteIp,
        String localIp,
        long vni,
        List<TunnelOption> options,
        Optional<TracedPacket> inner) {
      this(portName, remoteIp, localIp, vni, options, inner, false);
    }
  }

  /** Dropped; {@code drop} when the agent could say where. */
  record Dropped(Optional<Drop> drop) implements Outcome {}

  /** Output to a port that leaves OVS for the node's own stack or another bridge. */
  record LeavesOvs(PortKind kind, String portName) implements Outcome {}

  /** Sent to the OpenFlow controller. */
  record ToController(String summary) implements Outcome {}

  /** ofproto/trace stopped at a recirculation it cannot follow. */
  record Recirculated(String recirculation, String summary) implements Outcome {}

  /** Output to several ports (flood, multicast). */
  record Multiple(String summary) implements Outcome {}

  /** The agent gave no outcome. */
  record Unknown() implements Outcome {}

  /** A port by which a packet leaves OVS. */
  enum PortKind {
    HOST,
    GATEWAY,
    PATCH,
    OTHER_PORT;

    /** "host", "gateway", "patch", "other port". */
    public String text() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /** A pod as an agent names it. */
  record PodName(String namespace, String name) {
    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  /**
   * Where a packet was dropped, and by which NetworkPolicy when known; {@code causeCode} is the
   * stable code of a named cause ("ip-forward-off", …), empty for a drop by a flow.
   */
  record Drop(int table, String reason, Optional<Policy> policy, String causeCode) {}

  /** A NetworkPolicy and the direction of the rule ("ingress", "egress" or empty). */
  record Policy(String namespace, String name, String direction) {}
}
