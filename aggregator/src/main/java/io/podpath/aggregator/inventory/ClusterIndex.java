package io.podpath.aggregator.inventory;

import io.podpath.aggregator.util.IpLiteral;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An immutable view of the cluster with its lookup tables. */
public final class ClusterIndex {
  private final Map<ObjectRef, PodInfo> pods = new HashMap<>();
  private final Map<String, PodInfo> podsByIp = new HashMap<>();
  private final Map<ObjectRef, ServiceInfo> services = new HashMap<>();
  private final Map<String, ServiceInfo> servicesByIp = new HashMap<>();
  private final Map<String, ServiceInfo> servicesByExternalIp = new HashMap<>();
  private final Map<ObjectRef, List<ServiceEndpoint>> endpoints;
  private final List<NodeInfo> nodes;
  private final Map<String, NodeInfo> nodesByName = new HashMap<>();
  private final Map<String, NodeInfo> nodesByEncapIp = new HashMap<>();
  private final List<PolicyInfo> policies;

  public ClusterIndex(
      List<PodInfo> pods,
      List<ServiceInfo> services,
      List<ServiceEndpoint> endpoints,
      List<NodeInfo> nodes,
      List<PolicyInfo> policies) {
    for (PodInfo p : pods) {
      this.pods.put(p.ref(), p);
      if (!p.hostNetwork()) {
        p.ips().forEach(ip -> podsByIp.put(ip, p));
      }
    }
    for (ServiceInfo s : services) {
      this.services.put(s.ref(), s);
      s.clusterIps().forEach(ip -> servicesByIp.put(ip, s));
      s.externalIps().forEach(ip -> servicesByExternalIp.putIfAbsent(ip, s));
    }
    Map<ObjectRef, List<ServiceEndpoint>> eps = new HashMap<>();
    for (ServiceEndpoint e : endpoints) {
      eps.computeIfAbsent(e.service(), k -> new ArrayList<>()).add(e);
    }
    eps.replaceAll(
        (k, v) ->
            v.stream()
                .sorted(
                    Comparator.comparing(
                        (ServiceEndpoint e) -> e.pod().map(Object::toString).orElse(e.ip())))
                .toList());
    this.endpoints = eps;
    this.nodes = nodes.stream().sorted(Comparator.comparing(NodeInfo::name)).toList();
    for (NodeInfo n : nodes) {
      nodesByName.put(n.name(), n);
      if (!n.encapIp().isEmpty()) {
        nodesByEncapIp.put(n.encapIp(), n);
      }
    }
    // a tunnel to another InternalIP of a node (Kube-OVN's ovn-encap-ip on its IPv6 address) is
    // still that node, unless some node's encap IP says otherwise
    for (NodeInfo n : nodes) {
      n.internalIps().forEach(a -> nodesByEncapIp.putIfAbsent(a, n));
    }
    this.policies = List.copyOf(policies);
  }

  public static ClusterIndex empty() {
    return new ClusterIndex(List.of(), List.of(), List.of(), List.of(), List.of());
  }

  public Optional<PodInfo> pod(ObjectRef ref) {
    return Optional.ofNullable(pods.get(ref));
  }

  public Optional<PodInfo> podByIp(String ip) {
    return IpLiteral.canonical(ip).map(podsByIp::get);
  }

  public Optional<ServiceInfo> service(ObjectRef ref) {
    return Optional.ofNullable(services.get(ref));
  }

  public Optional<ServiceInfo> serviceByClusterIp(String ip) {
    return IpLiteral.canonical(ip).map(servicesByIp::get);
  }

  /** The Service an ExternalIP or load balancer ingress address belongs to. */
  public Optional<ServiceInfo> serviceByExternalIp(String ip) {
    return IpLiteral.canonical(ip).map(servicesByExternalIp::get);
  }

  public List<ServiceEndpoint> endpoints(ObjectRef service) {
    return endpoints.getOrDefault(service, List.of());
  }

  public List<NodeInfo> nodes() {
    return nodes;
  }

  public Optional<NodeInfo> node(String name) {
    return Optional.ofNullable(nodesByName.get(name));
  }

  public Optional<NodeInfo> nodeByEncapIp(String ip) {
    return IpLiteral.canonical(ip).map(nodesByEncapIp::get);
  }

  public List<PolicyInfo> networkPolicies() {
    return policies;
  }

  public List<ServiceInfo> allServices() {
    return services.values().stream()
        .sorted(Comparator.comparing(s -> s.ref().toString()))
        .toList();
  }

  public List<PodInfo> allPods() {
    return pods.values().stream().sorted(Comparator.comparing(p -> p.ref().toString())).toList();
  }

  public List<PodInfo> pods(String namespace, Map<String, String> selector) {
    return allPods().stream()
        .filter(p -> namespace.isEmpty() || p.ref().namespace().equals(namespace))
        .filter(p -> p.labels().entrySet().containsAll(selector.entrySet()))
        .toList();
  }

  public int size() {
    return pods.size() + services.size() + nodes.size() + policies.size();
  }
}
