package io.podpath.agent.checks;

import io.podpath.agent.pod.PodKey;
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
   * selfEncapIp} is this node's as the cluster knows it ("" when unknown).
   */
  public record PeerSet(int count, String sha256, String selfEncapIp) {
    /** Peers this node should have a tunnel to. */
    public int peers() {
      return selfEncapIp.isEmpty() ? count : count - 1;
    }
  }

  /** {@code protocol} is lowercase: tcp, udp or sctp. */
  public record Port(String protocol, int port) {}

  public record Service(String namespace, String name, List<String> clusterIps, List<Port> ports) {
    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  public record LocalPod(PodKey pod, List<String> ips) {}
}
