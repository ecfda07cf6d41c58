package io.podpath.aggregator.sweep;

import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.inventory.ServiceInfo;
import io.podpath.proto.v1.ClusterContext;
import io.podpath.proto.v1.LocalPod;
import io.podpath.proto.v1.PeerNode;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.ServicePort;
import io.podpath.proto.v1.ServiceRef;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a node needs to know to check itself against the cluster: its peers (for the tunnel mesh),
 * the Services (for Service programming), its own pods (plumbing, routes, DNS) and the cluster DNS
 * Service IP.
 */
public final class ClusterContexts {
  /** Where cluster DNS usually lives; the first one present wins. */
  public static final List<ObjectRef> DEFAULT_DNS_SERVICES =
      List.of(
          new ObjectRef("kube-system", "kube-dns"), new ObjectRef("openshift-dns", "dns-default"));

  private final List<ObjectRef> dnsServices;

  /** {@code dnsServices}: candidates for the cluster DNS Service, in order. */
  public ClusterContexts(List<ObjectRef> dnsServices) {
    this.dnsServices = List.copyOf(dnsServices);
  }

  public ClusterContext forNode(ClusterIndex index, String node) {
    ClusterContext.Builder b = ClusterContext.newBuilder();
    for (NodeInfo n : index.nodes()) {
      if (!n.name().equals(node)) {
        b.addPeers(PeerNode.newBuilder().setName(n.name()).setEncapIp(n.encapIp()));
      }
    }
    for (ServiceInfo s : index.allServices()) {
      if (s.clusterIps().isEmpty()) {
        continue;
      }
      io.podpath.proto.v1.ServiceInfo.Builder sb =
          io.podpath.proto.v1.ServiceInfo.newBuilder()
              .setService(
                  ServiceRef.newBuilder().setNamespace(s.ref().namespace()).setName(s.ref().name()))
              .addAllClusterIps(s.clusterIps());
      for (ServiceInfo.Port p : s.ports()) {
        sb.addPorts(ServicePort.newBuilder().setProtocol(protocol(p.protocol())).setPort(p.port()));
      }
      b.addServices(sb);
    }
    for (PodInfo p : index.allPods()) {
      if (p.node().equals(node) && !p.hostNetwork() && !p.ips().isEmpty()) {
        b.addLocalPods(
            LocalPod.newBuilder()
                .setPod(
                    PodRef.newBuilder().setNamespace(p.ref().namespace()).setName(p.ref().name()))
                .addAllIps(p.ips()));
      }
    }
    dnsIp(index).ifPresent(b::setDnsServiceIp);
    return b.build();
  }

  Optional<String> dnsIp(ClusterIndex index) {
    for (ObjectRef ref : dnsServices) {
      Optional<ServiceInfo> s = index.service(ref);
      if (s.isPresent() && !s.get().clusterIps().isEmpty()) {
        return Optional.of(s.get().clusterIps().get(0));
      }
    }
    return Optional.empty();
  }

  static Protocol protocol(String p) {
    return switch (p.toUpperCase(Locale.ROOT)) {
      case "UDP" -> Protocol.PROTOCOL_UDP;
      case "SCTP" -> Protocol.PROTOCOL_SCTP;
      default -> Protocol.PROTOCOL_TCP;
    };
  }
}
