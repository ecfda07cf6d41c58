package io.podpath.aggregator.sweep;

import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.inventory.ServiceEndpoint;
import io.podpath.aggregator.inventory.ServiceInfo;
import io.podpath.aggregator.model.ClusterContext;
import io.podpath.aggregator.model.IpProtocol;
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
    List<ClusterContext.Service> services = new ArrayList<>();
    for (ServiceInfo s : index.allServices()) {
      if (s.clusterIps().isEmpty()) {
        continue;
      }
      services.add(
          new ClusterContext.Service(
              s.ref().namespace(),
              s.ref().name(),
              s.clusterIps(),
              s.ports().stream()
                  .map(p -> new ClusterContext.Port(protocol(p.protocol()), p.port(), p.nodePort()))
                  .toList(),
              readyBackends(s, index.endpoints(s.ref()))));
    }
    Map<String, List<ClusterContext.LocalPod>> pods = new HashMap<>();
    for (PodInfo p : index.allPods()) {
      if (!p.hostNetwork() && !p.ips().isEmpty()) {
        pods.computeIfAbsent(p.node(), k -> new ArrayList<>())
            .add(new ClusterContext.LocalPod(p.ref().namespace(), p.ref().name(), p.ips()));
      }
    }
    return new PerSweep(new ClusterContext.Shared(services, dnsIp(index)), pods);
  }

  /** One sweep's contexts: every node's shares one {@link ClusterContext.Shared}. */
  public static final class PerSweep {
    private final ClusterContext.Shared shared;
    private final Map<String, List<ClusterContext.LocalPod>> pods;

    PerSweep(ClusterContext.Shared shared, Map<String, List<ClusterContext.LocalPod>> pods) {
      this.shared = shared;
      this.pods = pods;
    }

    public ClusterContext forNode(String node, ClusterContext.PeerSet peers) {
      return new ClusterContext(shared, pods.getOrDefault(node, List.of()), peers);
    }
  }

  /**
   * Each ready endpoint once per Service port it serves: the endpoint port of the same name (the
   * only one when the Service port is unnamed), else a numeric targetPort.
   */
  static List<ClusterContext.Backend> readyBackends(
      ServiceInfo s, List<ServiceEndpoint> endpoints) {
    List<ClusterContext.Backend> out = new ArrayList<>();
    for (ServiceEndpoint e : endpoints) {
      if (!e.ready()) {
        continue;
      }
      for (ServiceInfo.Port p : s.ports()) {
        endpointPort(e, p)
            .ifPresent(
                port ->
                    out.add(
                        new ClusterContext.Backend(
                            protocol(p.protocol()), p.port(), e.ip(), port)));
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

  /** A Kubernetes port's protocol; TCP when unset (Kubernetes' default). */
  static IpProtocol protocol(String p) {
    return switch (p.toUpperCase(Locale.ROOT)) {
      case "UDP" -> IpProtocol.UDP;
      case "SCTP" -> IpProtocol.SCTP;
      default -> IpProtocol.TCP;
    };
  }
}
