package io.podpath.aggregator.model;

import java.util.List;
import java.util.Optional;

/**
 * What a node needs to know to check itself against the cluster: the parts every node shares
 * ({@link Shared}, built once per sweep), the node's own pods, and its peers as a digest.
 */
public record ClusterContext(Shared shared, List<LocalPod> localPods, PeerSet peerSet) {
  public ClusterContext {
    localPods = List.copyOf(localPods);
  }

  /** The Services with a cluster IP, and the cluster DNS Service's IP when there is one. */
  public record Shared(List<Service> services, Optional<String> dnsServiceIp) {
    public Shared {
      services = List.copyOf(services);
    }
  }

  /** A Service and the endpoints ready behind each of its ports. */
  public record Service(
      String namespace,
      String name,
      List<String> clusterIps,
      List<Port> ports,
      List<Backend> readyBackends) {
    public Service {
      clusterIps = List.copyOf(clusterIps);
      ports = List.copyOf(ports);
      readyBackends = List.copyOf(readyBackends);
    }
  }

  /** A Service port; {@code nodePort} 0 when the Service has none. */
  public record Port(IpProtocol protocol, int port, int nodePort) {}

  /** A ready endpoint behind Service port {@code servicePort}. */
  public record Backend(IpProtocol protocol, int servicePort, String ip, int port) {}

  /** A pod of the node (not host-network, with an IP). */
  public record LocalPod(String namespace, String name, List<String> ips) {
    public LocalPod {
      ips = List.copyOf(ips);
    }
  }

  /**
   * The cluster's encap IPs as a digest (count and SHA-256, see PeerDigest), the node's own encap
   * IP ("" when the cluster does not know it), and the same over the nodes' InternalIPs of the
   * other family (tunnels over that underlay match it instead).
   */
  public record PeerSet(
      int count, String sha256, String selfEncapIp, Optional<PeerSet> otherFamily) {
    public PeerSet(int count, String sha256, String selfEncapIp) {
      this(count, sha256, selfEncapIp, Optional.empty());
    }
  }
}
