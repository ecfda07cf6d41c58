package io.podpath.aggregator.sweep;

import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.inventory.ServiceEndpoint;
import io.podpath.aggregator.inventory.ServiceInfo;
import io.podpath.proto.v1.ClusterContext;
import io.podpath.proto.v1.LocalPod;
import io.podpath.proto.v1.PeerSet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.ServiceBackend;
import io.podpath.proto.v1.ServicePort;
import io.podpath.proto.v1.ServiceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a node needs to know to check itself against the cluster: its peers' encap IPs (as a digest,
 * for the tunnel mesh), the Services (for Service programming), its own pods (plumbing, routes,
 * DNS) and the cluster DNS Service IP.
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

  /**
   * The parts every node shares (Services, DNS) built once, each node's pods indexed once: a node's
   * context then costs O(its pods), and the peers travel as a digest ({@code peerSet}), not as a
   * list of every other node.
   */
  public PerSweep forSweep(ClusterIndex index) {
    ClusterContext.Builder shared = ClusterContext.newBuilder();
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
        sb.addPorts(
            ServicePort.newBuilder()
                .setProtocol(protocol(p.protocol()))
                .setPort(p.port())
                .setNodePort(p.nodePort()));
      }
      sb.addAllReadyBackends(readyBackends(s, index.endpoints(s.ref())))
          .setReadyBackendsKnown(true);
      shared.addServices(sb);
    }
    dnsIp(index).ifPresent(shared::setDnsServiceIp);
    Map<String, List<LocalPod>> pods = new HashMap<>();
    for (PodInfo p : index.allPods()) {
      if (!p.hostNetwork() && !p.ips().isEmpty()) {
        pods.computeIfAbsent(p.node(), k -> new ArrayList<>())
            .add(
                LocalPod.newBuilder()
                    .setPod(
                        PodRef.newBuilder()
                            .setNamespace(p.ref().namespace())
                            .setName(p.ref().name()))
                    .addAllIps(p.ips())
                    .build());
      }
    }
    return new PerSweep(shared.build(), pods);
  }

  /** One sweep's contexts. */
  public static final class PerSweep {
    private final ClusterContext shared;
    private final Map<String, List<LocalPod>> pods;

    PerSweep(ClusterContext shared, Map<String, List<LocalPod>> pods) {
      this.shared = shared;
      this.pods = pods;
    }

    public ClusterContext forNode(String node, PeerSet peers) {
      return shared.toBuilder()
          .addAllLocalPods(pods.getOrDefault(node, List.of()))
          .setPeerSet(peers)
          .build();
    }
  }

  /**
   * Each ready endpoint once per Service port it serves: the endpoint port of the same name (the
   * only one when the Service port is unnamed), else a numeric targetPort.
   */
  static List<ServiceBackend> readyBackends(ServiceInfo s, List<ServiceEndpoint> endpoints) {
    List<ServiceBackend> out = new ArrayList<>();
    for (ServiceEndpoint e : endpoints) {
      if (!e.ready()) {
        continue;
      }
      for (ServiceInfo.Port p : s.ports()) {
        endpointPort(e, p)
            .ifPresent(
                port ->
                    out.add(
                        ServiceBackend.newBuilder()
                            .setProtocol(protocol(p.protocol()))
                            .setServicePort(p.port())
                            .setIp(e.ip())
                            .setPort(port)
                            .build()));
      }
    }
    return out;
  }

  private static Optional<Integer> endpointPort(ServiceEndpoint e, ServiceInfo.Port p) {
    for (ServiceEndpoint.Port ep : e.ports()) {
      boolean sameName =
          ep.name().equals(p.name()) || (p.name().isEmpty() && e.ports().size() == 1);
      if (sameName && ep.protocol().equalsIgnoreCase(p.protocol())) {
        return Optional.of(ep.port());
      }
    }
    if (e.ports().isEmpty() && p.targetPort().matches("\\d+")) {
      return Optional.of(Integer.parseInt(p.targetPort()));
    }
    return Optional.empty();
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
