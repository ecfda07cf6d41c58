package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.ServiceInfo;
import io.podpath.common.HostPort;
import java.util.List;
import java.util.Optional;

/**
 * What a packet from outside reaches once it enters at a node: a NodePort or a Service's external
 * address (ExternalIP, load balancer ingress) becomes one destination per ready endpoint of the
 * Service, as the node's service proxy may pick any of them, except under externalTrafficPolicy
 * Local, where only that node's own endpoints answer. A node without one drops the packet; it is
 * still traced (one destination with no pod) so the node's real rules show the drop.
 */
final class OutsideTargets {

  private OutsideTargets() {}

  /**
   * @param noLocalEndpoint why no endpoint answers at this node (externalTrafficPolicy Local; the
   *     destination's label names the policy and the node)
   */
  record Targets(List<Destination> destinations, Optional<String> noLocalEndpoint) {}

  static Targets at(EndpointResolver r, Inventory inventory, TraceQuery q, String ingressNode) {
    EndpointSpec dst = q.destination();
    if (dst instanceof EndpointSpec.Node n && n.port() != 0) {
      Destination node = r.nodeDestination(n, q);
      Optional<EndpointResolver.ServicePort> sp = r.nodePortService(n.port(), q);
      if (sp.isEmpty()) {
        return new Targets(List.of(node), Optional.empty());
      }
      // the NodePort's own node decides which endpoints are local
      return behind(r, node.label(), node.ip(), node.port(), sp.get(), n.name(), "NodePort");
    }
    if (dst instanceof EndpointSpec.Ip ip) {
      Optional<ServiceInfo> svc = external(inventory, ip.ip());
      if (svc.isPresent()) {
        Optional<ServiceInfo.Port> port = EndpointResolver.servicePort(svc.get(), q);
        int p = port.map(ServiceInfo.Port::port).orElse(0);
        String label =
            HostPort.of(ip.ip(), p) + " (external address of svc/" + svc.get().ref() + ")";
        return behind(
            r,
            label,
            ip.ip(),
            p,
            new EndpointResolver.ServicePort(svc.get(), port),
            ingressNode,
            "external address " + ip.ip());
      }
    }
    return new Targets(r.destinations(dst, q), Optional.empty());
  }

  /**
   * The Service an outside destination address belongs to as an ExternalIP or load balancer ingress
   * address (not when it is a pod's or a ClusterIP: those keep their meaning).
   */
  static Optional<ServiceInfo> external(Inventory inventory, String ip) {
    if (inventory.podByIp(ip).isPresent() || inventory.serviceByClusterIp(ip).isPresent()) {
      return Optional.empty();
    }
    return inventory.serviceByExternalIp(ip);
  }

  private static Targets behind(
      EndpointResolver r,
      String label,
      String ip,
      int port,
      EndpointResolver.ServicePort sp,
      String node,
      String what) {
    ServiceInfo svc = sp.service();
    String only = svc.externalTrafficLocal() ? node : "";
    List<Destination> out = r.behind(label, ip, port, svc, sp.port(), only);
    if (!out.isEmpty()) {
      return new Targets(out, Optional.empty());
    }
    if (only.isEmpty()) {
      throw TraceException.precondition(
          what + " of service " + svc.ref() + " has no ready endpoint");
    }
    // the label names the policy and the node; the explanation goes with the verdict
    String label2 = label + " (externalTrafficPolicy Local: no local endpoint on " + node + ")";
    return new Targets(
        List.of(new Destination(label2, Optional.empty(), ip, port, Optional.empty())),
        Optional.of(
            "svc/"
                + svc.ref()
                + " is answered only by nodes with a ready endpoint of its own; the others drop"
                + " what comes in by its "
                + what));
  }
}
