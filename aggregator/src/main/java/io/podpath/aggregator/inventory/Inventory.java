package io.podpath.aggregator.inventory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster as podpath sees it: pods, Services, endpoints, nodes and policies, with lookups by
 * name and by IP. Implementations: a snapshot of a {@code List} manifest and fabric8 informers.
 */
public interface Inventory {

  /** The current, consistent view (an immutable index). */
  ClusterIndex current();

  /** True once the first full view has been loaded. */
  boolean synced();

  /** Where the data comes from, for logs and /readyz ("snapshot /x/cluster.yaml"). */
  String description();

  default Optional<PodInfo> pod(ObjectRef ref) {
    return current().pod(ref);
  }

  default Optional<PodInfo> podByIp(String ip) {
    return current().podByIp(ip);
  }

  default Optional<ServiceInfo> service(ObjectRef ref) {
    return current().service(ref);
  }

  default Optional<ServiceInfo> serviceByClusterIp(String ip) {
    return current().serviceByClusterIp(ip);
  }

  default Optional<ServiceInfo> serviceByExternalIp(String ip) {
    return current().serviceByExternalIp(ip);
  }

  default List<ServiceEndpoint> endpoints(ObjectRef service) {
    return current().endpoints(service);
  }

  default List<NodeInfo> nodes() {
    return current().nodes();
  }

  default Optional<NodeInfo> node(String name) {
    return current().node(name);
  }

  default Optional<NodeInfo> nodeByEncapIp(String ip) {
    return current().nodeByEncapIp(ip);
  }

  default List<PolicyInfo> networkPolicies() {
    return current().networkPolicies();
  }

  /** Pods in {@code namespace} ("" = any) whose labels contain every entry of {@code selector}. */
  default List<PodInfo> pods(String namespace, Map<String, String> selector) {
    return current().pods(namespace, selector);
  }
}
