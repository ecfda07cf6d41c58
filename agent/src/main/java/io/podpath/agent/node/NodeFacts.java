package io.podpath.agent.node;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What GetNode reports, inside the agent (mapped to proto at the gRPC edge). What the node does not
 * say is empty. Build one with {@link #builder}.
 *
 * @param ovnVersion empty when no ovn-controller answers on this node
 * @param encapIp OVN's ovn-encap-ip, else a tunnel's local_ip, else the source towards its peer
 * @param encapType OVN's ovn-encap-type, else the first tunnel's type
 * @param underlayMtu the MTU of the link holding the encap IP
 * @param podMtu the pods' MTU as their veths on this node show it
 * @param cni the profile's --cni name, empty when none matches the node
 * @param cniEvidence why that profile (or, when none, the detector's error)
 */
public record NodeFacts(
    String nodeName,
    Optional<String> ovsVersion,
    Optional<String> ovnVersion,
    List<BridgeFacts> bridges,
    List<TunnelFacts> tunnels,
    Optional<String> encapIp,
    Optional<String> encapType,
    OptionalInt underlayMtu,
    OptionalInt podMtu,
    String integrationBridge,
    Optional<String> ovnRemote,
    Optional<String> systemId,
    Optional<String> cni,
    List<String> cniEvidence) {

  public NodeFacts {
    bridges = List.copyOf(bridges);
    tunnels = List.copyOf(tunnels);
    cniEvidence = List.copyOf(cniEvidence);
  }

  /** Facts of {@code nodeName} whose pods attach to {@code integrationBridge}; the rest empty. */
  public static Builder builder(String nodeName, String integrationBridge) {
    return new Builder(nodeName, integrationBridge);
  }

  /** These facts, to change some. */
  public Builder toBuilder() {
    return builder(nodeName, integrationBridge)
        .ovsVersion(ovsVersion)
        .ovnVersion(ovnVersion)
        .bridges(bridges)
        .tunnels(tunnels)
        .encapIp(encapIp)
        .encapType(encapType)
        .underlayMtu(underlayMtu)
        .podMtu(podMtu)
        .ovnRemote(ovnRemote)
        .systemId(systemId)
        .cni(cni)
        .cniEvidence(cniEvidence);
  }

  public record BridgeFacts(String name, String datapathType, int portCount) {}

  /**
   * A tunnel port; what OVSDB does not say is empty.
   *
   * @param localIp options:local_ip
   * @param ofport as OVS gives it (-1 for a broken port); empty when OVS has not numbered it
   * @param key options:key
   * @param error the Interface's error column
   */
  public record TunnelFacts(
      String name,
      String type,
      String remoteIp,
      Optional<String> localIp,
      OptionalInt ofport,
      String bridge,
      Optional<String> key,
      Optional<String> error) {}

  /** Named facts instead of fourteen positional ones. */
  public static final class Builder {
    private final String nodeName;
    private final String integrationBridge;
    private Optional<String> ovsVersion = Optional.empty();
    private Optional<String> ovnVersion = Optional.empty();
    private List<BridgeFacts> bridges = List.of();
    private List<TunnelFacts> tunnels = List.of();
    private Optional<String> encapIp = Optional.empty();
    private Optional<String> encapType = Optional.empty();
    private OptionalInt underlayMtu = OptionalInt.empty();
    private OptionalInt podMtu = OptionalInt.empty();
    private Optional<String> ovnRemote = Optional.empty();
    private Optional<String> systemId = Optional.empty();
    private Optional<String> cni = Optional.empty();
    private List<String> cniEvidence = List.of();

    private Builder(String nodeName, String integrationBridge) {
      this.nodeName = nodeName;
      this.integrationBridge = integrationBridge;
    }

    public Builder ovsVersion(Optional<String> v) {
      ovsVersion = v;
      return this;
    }

    public Builder ovnVersion(Optional<String> v) {
      ovnVersion = v;
      return this;
    }

    public Builder bridges(List<BridgeFacts> v) {
      bridges = v;
      return this;
    }

    public Builder tunnels(List<TunnelFacts> v) {
      tunnels = v;
      return this;
    }

    public Builder encapIp(Optional<String> v) {
      encapIp = v;
      return this;
    }

    public Builder encapType(Optional<String> v) {
      encapType = v;
      return this;
    }

    public Builder underlayMtu(OptionalInt v) {
      underlayMtu = v;
      return this;
    }

    public Builder podMtu(OptionalInt v) {
      podMtu = v;
      return this;
    }

    public Builder ovnRemote(Optional<String> v) {
      ovnRemote = v;
      return this;
    }

    public Builder systemId(Optional<String> v) {
      systemId = v;
      return this;
    }

    public Builder cni(Optional<String> v) {
      cni = v;
      return this;
    }

    public Builder cniEvidence(List<String> v) {
      cniEvidence = v;
      return this;
    }

    public NodeFacts build() {
      return new NodeFacts(
          nodeName,
          ovsVersion,
          ovnVersion,
          bridges,
          tunnels,
          encapIp,
          encapType,
          underlayMtu,
          podMtu,
          integrationBridge,
          ovnRemote,
          systemId,
          cni,
          cniEvidence);
    }
  }
}
