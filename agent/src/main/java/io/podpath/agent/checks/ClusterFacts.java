package io.podpath.agent.checks;

import io.podpath.agent.pod.PodKey;
import java.util.List;

/** What the aggregator told this node about the cluster (ClusterContext, as records). */
public record ClusterFacts(
    List<Peer> peers, List<Service> services, List<LocalPod> localPods, String dnsServiceIp) {

  public static final ClusterFacts EMPTY = new ClusterFacts(List.of(), List.of(), List.of(), "");

  public ClusterFacts {
    peers = List.copyOf(peers);
    services = List.copyOf(services);
    localPods = List.copyOf(localPods);
    dnsServiceIp = dnsServiceIp == null ? "" : dnsServiceIp;
  }

  public record Peer(String name, String encapIp) {}

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
