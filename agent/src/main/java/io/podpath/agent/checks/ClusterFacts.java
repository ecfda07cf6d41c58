package io.podpath.agent.checks;

import io.podpath.agent.pod.PodKey;
import io.podpath.common.HostPort;
import io.podpath.common.PeerDigest;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** What the aggregator told this node about the cluster (ClusterContext, as records). */
public record ClusterFacts(
    List<Peer> peers,
    List<Service> services,
    List<LocalPod> localPods,
    String dnsServiceIp,
    Optional<PeerSet> peerSet) {

  public static final ClusterFacts EMPTY =
      new ClusterFacts(List.of(), List.of(), List.of(), "", Optional.empty());

  public ClusterFacts {
    peers = List.copyOf(peers);
    services = List.copyOf(services);
    localPods = List.copyOf(localPods);
    dnsServiceIp = dnsServiceIp == null ? "" : dnsServiceIp;
    peerSet = peerSet == null ? Optional.empty() : peerSet;
  }

  public record Peer(String name, String encapIp) {}

  /**
   * Every node's encap IP as a count and digest (see io.podpath.common.PeerDigest); {@code
   * selfEncapIp} is this node's as the cluster knows it ("" when unknown); {@code otherFamily} the
   * same over the nodes' InternalIPs of the other family, for tunnels over that underlay.
   */
  public record PeerSet(
      int count, String sha256, String selfEncapIp, Optional<PeerSet> otherFamily) {
    public PeerSet(int count, String sha256, String selfEncapIp) {
      this(count, sha256, selfEncapIp, Optional.empty());
    }

    /** Peers this node should have a tunnel to. */
    public int peers() {
      return selfEncapIp.isEmpty() ? count : count - 1;
    }

    /** Whether these working tunnel remotes are exactly the set, in either family. */
    public boolean matchedBy(Collection<String> workingRemotes) {
      return PeerDigest.matches(count, sha256, selfEncapIp, workingRemotes)
          || otherFamily.map(o -> o.matchedBy(workingRemotes)).orElse(false);
    }
  }

  /** {@code protocol} is lowercase: tcp, udp or sctp; {@code nodePort} 0 = none. */
  public record Port(String protocol, int port, int nodePort) {
    public Port(String protocol, int port) {
      this(protocol, port, 0);
    }
  }

  /**
   * {@code readyBackends}: the ready endpoints per Service port, when the aggregator sent them
   * (empty = not known, e.g. an older aggregator; a Service without ready endpoints has an empty
   * list).
   */
  public record Service(
      String namespace,
      String name,
      List<String> clusterIps,
      List<Port> ports,
      Optional<List<Backend>> readyBackends) {
    public Service {
      clusterIps = List.copyOf(clusterIps);
      ports = List.copyOf(ports);
      readyBackends = readyBackends.map(List::copyOf);
    }

    public Service(String namespace, String name, List<String> clusterIps, List<Port> ports) {
      this(namespace, name, clusterIps, ports, Optional.empty());
    }

    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  /** One ready endpoint "ip:port" of Service port {@code protocol}/{@code servicePort}. */
  public record Backend(String protocol, int servicePort, String ip, int port) {
    /** "10.244.1.3:80", "[fd00::3]:80": how OVN, iptables and IPVS print a backend. */
    public String address() {
      return HostPort.of(ip, port);
    }
  }

  public record LocalPod(PodKey pod, List<String> ips) {}
}
