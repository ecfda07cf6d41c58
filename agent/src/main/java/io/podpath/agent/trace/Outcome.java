package io.podpath.agent.trace;

import io.podpath.agent.ovn.LogicalFlowInfo;
import io.podpath.agent.ovn.PolicyRef;
import java.util.List;
import java.util.Optional;

/**
 * Where the traced packet went on this node. {@code portName}/{@code ofport} name the port it
 * leaves by ("" / -1 when none); {@code recirculation} says which recirculation stopped the trace;
 * {@code parts} holds the single outcomes of a MULTIPLE.
 */
public record Outcome(
    Kind kind,
    String summary,
    String portName,
    int ofport,
    Optional<PodName> pod,
    Optional<Tunnel> tunnel,
    Optional<Drop> drop,
    String recirculation,
    List<Outcome> parts,
    String podIp) {

  public enum Kind {
    LOCAL_POD,
    TUNNEL,
    HOST,
    PATCH,
    GATEWAY,
    OTHER_PORT,
    DROPPED,
    CONTROLLER,
    RECIRCULATION,
    MULTIPLE
  }

  public Outcome {
    parts = List.copyOf(parts);
  }

  /** An outcome whose pod (if any) OVSDB names: no pod IP. */
  public Outcome(
      Kind kind,
      String summary,
      String portName,
      int ofport,
      Optional<PodName> pod,
      Optional<Tunnel> tunnel,
      Optional<Drop> drop,
      String recirculation,
      List<Outcome> parts) {
    this(kind, summary, portName, ofport, pod, tunnel, drop, recirculation, parts, "");
  }

  /** This outcome, told in other words. */
  public Outcome withSummary(String s) {
    return new Outcome(kind, s, portName, ofport, pod, tunnel, drop, recirculation, parts, podIp);
  }

  /** This outcome with another account of its drop. */
  public Outcome withDrop(Drop d) {
    return new Outcome(
        kind, summary, portName, ofport, pod, tunnel, Optional.of(d), recirculation, parts, podIp);
  }

  /** The tunnel ends at the fabric (the CNI profile says so), not at a peer node. */
  Outcome viaFabric() {
    if (tunnel.isEmpty()) {
      return this;
    }
    Tunnel t = tunnel.get();
    Tunnel f =
        new Tunnel(
            t.portName(),
            t.ofport(),
            t.type(),
            t.remoteIp(),
            t.localIp(),
            t.vni(),
            t.geneveOptions(),
            t.inner(),
            t.innerFlow(),
            true);
    return new Outcome(
        kind, summary, portName, ofport, pod, Optional.of(f), drop, recirculation, parts, podIp);
  }

  /**
   * Output to the port of a local pod that OVSDB does not name (OpenShift SDN, ACI): the agent
   * proved that the port's namespace holds {@code ip}, the packet's destination.
   */
  Outcome deliveredToPodWithIp(String ip) {
    return new Outcome(
        Kind.LOCAL_POD,
        "output to the pod with IP " + ip + " (port " + portName + ", ofport " + ofport + ")",
        portName,
        ofport,
        pod,
        tunnel,
        drop,
        recirculation,
        parts,
        ip);
  }

  /**
   * As {@link #deliveredToPodWithIp}, where the CNI's ids on the port name the pod (Antrea,
   * Kube-OVN): the pod's own stack is then read by its name.
   */
  Outcome deliveredToNamedPod(PodName named, String ip) {
    return new Outcome(
        Kind.LOCAL_POD,
        "output to pod " + named + " (port " + portName + ", ofport " + ofport + ")",
        portName,
        ofport,
        Optional.of(named),
        tunnel,
        drop,
        recirculation,
        parts,
        ip);
  }

  /** The packet leaves by a tunnel: where to, with which key and options, and as which packet. */
  public record Tunnel(
      String portName,
      int ofport,
      String type,
      String remoteIp,
      String localIp,
      long vni,
      List<GeneveOption> geneveOptions,
      Optional<PacketHeaders> inner,
      String innerFlow,
      boolean viaFabric) {
    public Tunnel {
      geneveOptions = List.copyOf(geneveOptions);
    }

    /** A tunnel to a peer node (not to a fabric). */
    public Tunnel(
        String portName,
        int ofport,
        String type,
        String remoteIp,
        String localIp,
        long vni,
        List<GeneveOption> geneveOptions,
        Optional<PacketHeaders> inner,
        String innerFlow) {
      this(portName, ofport, type, remoteIp, localIp, vni, geneveOptions, inner, innerFlow, false);
    }
  }

  /**
   * Where the packet was dropped, and (OVN) the logical flow and NetworkPolicy behind it. {@code
   * table} is -1 and {@code causeCode} a stable code (e.g. ip-forward-off) when something other
   * than an OpenFlow table dropped it; causeCode is empty for a drop by a flow.
   */
  public record Drop(
      int table,
      String cookie,
      String reason,
      Optional<PolicyRef> policy,
      Optional<LogicalFlowInfo> logicalFlow,
      String causeCode) {
    public Drop(
        int table,
        String cookie,
        String reason,
        Optional<PolicyRef> policy,
        Optional<LogicalFlowInfo> logicalFlow) {
      this(table, cookie, reason, policy, logicalFlow, "");
    }
  }

  static Outcome port(
      Kind kind, String summary, String portName, int ofport, Optional<PodName> pod) {
    return new Outcome(
        kind, summary, portName, ofport, pod, Optional.empty(), Optional.empty(), "", List.of());
  }

  static Outcome simple(Kind kind, String summary) {
    return port(kind, summary, "", -1, Optional.empty());
  }

  Outcome withDrop(Drop d, String newSummary) {
    return new Outcome(
        kind,
        newSummary,
        portName,
        ofport,
        pod,
        tunnel,
        Optional.of(d),
        recirculation,
        parts,
        podIp);
  }

  /** OVN's tunnel ports carry no local_ip: the node's encap IP is the outer source. */
  Outcome withTunnelLocalIp(String encapIp) {
    if (tunnel().isEmpty() || !tunnel().get().localIp().isEmpty() || encapIp.isEmpty()) {
      return this;
    }
    Outcome.Tunnel t = tunnel().get();
    Outcome.Tunnel fixed =
        new Outcome.Tunnel(
            t.portName(),
            t.ofport(),
            t.type(),
            t.remoteIp(),
            encapIp,
            t.vni(),
            t.geneveOptions(),
            t.inner(),
            t.innerFlow());
    return new Outcome(
        kind(),
        summary(),
        portName(),
        ofport(),
        pod(),
        Optional.of(fixed),
        drop(),
        recirculation(),
        parts(),
        podIp());
  }
}
