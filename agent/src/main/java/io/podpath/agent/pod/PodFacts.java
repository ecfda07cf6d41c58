package io.podpath.agent.pod;

import io.podpath.agent.cni.CniProfile;
import io.podpath.agent.ip.IpRoute;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What InspectPod reports (mapped to proto at the gRPC edge). Pod-side fields are empty when the
 * pod's namespace was not found, port-side ones when OVS has no port for it (a finding then says
 * why). Build one with {@link #builder}.
 *
 * @param iflink the pod interface's peer ifindex as its own link says; empty when it does not
 * @param ofport as OVS gives it (may be -1 for a broken port); empty when there is no port
 * @param cni the --cni name of the profile that found the pod's port
 */
public record PodFacts(
    PodKey pod,
    String node,
    Optional<String> netns,
    Optional<String> podInterface,
    OptionalInt ifindex,
    OptionalInt iflink,
    Optional<String> hostInterface,
    OptionalInt hostIfindex,
    Optional<String> bridge,
    Optional<String> ovsPort,
    OptionalInt ofport,
    Optional<String> ifaceId,
    Optional<String> mac,
    List<String> ips,
    OptionalInt mtu,
    List<IpRoute> routes,
    List<Finding> findings,
    String cni) {

  public PodFacts {
    ips = List.copyOf(ips);
    routes = List.copyOf(routes);
    findings = List.copyOf(findings);
  }

  /** Facts of {@code pod} on {@code node} found by the --cni profile {@code cni}; nothing else. */
  public static Builder builder(PodKey pod, String node, String cni) {
    return new Builder(pod, node, cni);
  }

  /** These facts, to change some. */
  public Builder toBuilder() {
    return builder(pod, node, cni)
        .netns(netns)
        .podInterface(podInterface)
        .ifindex(ifindex)
        .iflink(iflink)
        .hostInterface(hostInterface)
        .hostIfindex(hostIfindex)
        .bridge(bridge)
        .ovsPort(ovsPort)
        .ofport(ofport)
        .ifaceId(ifaceId)
        .mac(mac)
        .ips(ips)
        .mtu(mtu)
        .routes(routes)
        .findings(findings);
  }

  /** The port side only: the pod's namespace was not found (the findings say why). */
  static PodFacts partial(
      String node,
      CniProfile profile,
      PodKey pod,
      OvsInterface iface,
      String bridge,
      String port,
      OptionalInt ofport,
      List<Finding> f) {
    return builder(pod, node, profile.cni().flagName())
        .hostInterface(Optional.of(iface.name()))
        .hostIfindex(asInt(iface.ifindex()))
        .bridge(Optional.of(bridge))
        .ovsPort(Optional.of(port))
        .ofport(ofport)
        .ifaceId(Optional.ofNullable(iface.externalIds().get("iface-id")))
        .findings(f)
        .build();
  }

  /** OVSDB's integer columns are longs; ifindexes and ofports fit an int. */
  static OptionalInt asInt(OptionalLong v) {
    return v.isPresent() ? OptionalInt.of((int) v.getAsLong()) : OptionalInt.empty();
  }

  /** A pod the cluster puts on {@code node} with no port: its facts are the one ERROR finding. */
  static PodFacts portMissing(String node, CniProfile profile, PodKey pod, Finding f) {
    return builder(pod, node, profile.cni().flagName())
        .ifaceId(Optional.of(pod.ifaceId()))
        .findings(List.of(f))
        .build();
  }

  /** Named facts instead of eighteen positional ones; all but pod, node and cni start empty. */
  public static final class Builder {
    private final PodKey pod;
    private final String node;
    private final String cni;
    private Optional<String> netns = Optional.empty();
    private Optional<String> podInterface = Optional.empty();
    private OptionalInt ifindex = OptionalInt.empty();
    private OptionalInt iflink = OptionalInt.empty();
    private Optional<String> hostInterface = Optional.empty();
    private OptionalInt hostIfindex = OptionalInt.empty();
    private Optional<String> bridge = Optional.empty();
    private Optional<String> ovsPort = Optional.empty();
    private OptionalInt ofport = OptionalInt.empty();
    private Optional<String> ifaceId = Optional.empty();
    private Optional<String> mac = Optional.empty();
    private List<String> ips = List.of();
    private OptionalInt mtu = OptionalInt.empty();
    private List<IpRoute> routes = List.of();
    private List<Finding> findings = List.of();

    private Builder(PodKey pod, String node, String cni) {
      this.pod = pod;
      this.node = node;
      this.cni = cni;
    }

    public Builder netns(Optional<String> v) {
      netns = v;
      return this;
    }

    public Builder podInterface(Optional<String> v) {
      podInterface = v;
      return this;
    }

    public Builder ifindex(OptionalInt v) {
      ifindex = v;
      return this;
    }

    public Builder iflink(OptionalInt v) {
      iflink = v;
      return this;
    }

    public Builder hostInterface(Optional<String> v) {
      hostInterface = v;
      return this;
    }

    public Builder hostIfindex(OptionalInt v) {
      hostIfindex = v;
      return this;
    }

    public Builder bridge(Optional<String> v) {
      bridge = v;
      return this;
    }

    public Builder ovsPort(Optional<String> v) {
      ovsPort = v;
      return this;
    }

    public Builder ofport(OptionalInt v) {
      ofport = v;
      return this;
    }

    public Builder ifaceId(Optional<String> v) {
      ifaceId = v;
      return this;
    }

    public Builder mac(Optional<String> v) {
      mac = v;
      return this;
    }

    public Builder ips(List<String> v) {
      ips = v;
      return this;
    }

    public Builder mtu(OptionalInt v) {
      mtu = v;
      return this;
    }

    public Builder routes(List<IpRoute> v) {
      routes = v;
      return this;
    }

    public Builder findings(List<Finding> v) {
      findings = v;
      return this;
    }

    public PodFacts build() {
      return new PodFacts(
          pod,
          node,
          netns,
          podInterface,
          ifindex,
          iflink,
          hostInterface,
          hostIfindex,
          bridge,
          ovsPort,
          ofport,
          ifaceId,
          mac,
          ips,
          mtu,
          routes,
          findings,
          cni);
    }
  }
}
