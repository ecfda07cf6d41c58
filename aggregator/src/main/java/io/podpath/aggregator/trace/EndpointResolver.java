package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.inventory.ServiceEndpoint;
import io.podpath.aggregator.inventory.ServiceInfo;
import io.podpath.aggregator.inventory.Suggestions;
import io.podpath.common.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/** Turns the user's source and destination into a pod to start from and endpoints to reach. */
final class EndpointResolver {
  private final Inventory inventory;

  EndpointResolver(Inventory inventory) {
    this.inventory = inventory;
  }

  PodInfo source(EndpointSpec spec) {
    PodInfo pod;
    if (spec instanceof EndpointSpec.Pod p) {
      pod =
          inventory
              .pod(p.ref())
              .orElseThrow(
                  () ->
                      TraceException.notFound(
                          "source pod "
                              + p.ref()
                              + " not found"
                              + Suggestions.forPod(inventory.current(), p.ref())));
    } else if (spec instanceof EndpointSpec.Ip ip) {
      pod =
          inventory
              .podByIp(ip.ip())
              .orElseThrow(
                  () ->
                      TraceException.invalid(
                          "source: " + ip.ip() + " is not a pod IP; a trace starts from a pod"));
    } else if (spec instanceof EndpointSpec.Node n) {
      throw TraceException.invalid("source " + n + ": a node source is resolved by sourceNode");
    } else {
      throw TraceException.invalid("source: a Service (" + spec + ") cannot send; give a pod");
    }
    return usablePod(pod, "source");
  }

  /** A node as the source: it must be known and have an InternalIP (the reply's fallback). */
  NodeInfo sourceNode(EndpointSpec.Node n) {
    NodeInfo node =
        inventory
            .node(n.name())
            .orElseThrow(() -> TraceException.notFound("source node " + n.name() + " not found"));
    if (node.internalIp().isEmpty()) {
      throw TraceException.precondition("source node " + n.name() + " has no InternalIP");
    }
    return node;
  }

  /**
   * A hostNetwork pod shares its node's network stack: as a source or destination it is that node
   * (node/NAME), named by the pod. Empty for anything else.
   */
  Optional<EndpointSpec.Node> hostNetworkNode(EndpointSpec spec, String role) {
    if (!(spec instanceof EndpointSpec.Pod p)) {
      return Optional.empty();
    }
    Optional<PodInfo> pod = inventory.pod(p.ref()).filter(PodInfo::hostNetwork);
    if (pod.isEmpty()) {
      return Optional.empty();
    }
    if (pod.get().node().isEmpty()) {
      throw TraceException.precondition(role + " pod " + p.ref() + " is not scheduled on a node");
    }
    return Optional.of(new EndpointSpec.Node(pod.get().node(), 0));
  }

  private static PodInfo usablePod(PodInfo pod, String role) {
    if (pod.node().isEmpty()) {
      throw TraceException.precondition(role + " pod " + pod.ref() + " is not scheduled on a node");
    }
    if (pod.ips().isEmpty()) {
      throw TraceException.precondition(role + " pod " + pod.ref() + " has no IP yet");
    }
    return pod;
  }

  List<Destination> destinations(EndpointSpec spec, TraceQuery q) {
    if (spec instanceof EndpointSpec.Pod p) {
      PodInfo pod =
          inventory
              .pod(p.ref())
              .orElseThrow(
                  () ->
                      TraceException.notFound(
                          "destination pod "
                              + p.ref()
                              + " not found"
                              + Suggestions.forPod(inventory.current(), p.ref())));
      if (pod.hostNetwork()) {
        Destination node = nodeDestination(hostNetworkNode(spec, "destination").orElseThrow(), q);
        return List.of(
            new Destination(
                pod.ref() + " (hostNetwork on " + pod.node() + ") " + node.label(),
                Optional.empty(),
                node.ip(),
                node.port(),
                Optional.empty()));
      }
      return List.of(podDestination(usablePod(pod, "destination"), q));
    }
    if (spec instanceof EndpointSpec.Service s) {
      ServiceInfo svc =
          inventory
              .service(s.ref())
              .orElseThrow(
                  () ->
                      TraceException.notFound(
                          "destination service "
                              + s.ref()
                              + " not found"
                              + Suggestions.forService(inventory.current(), s.ref())));
      return serviceDestinations(svc, "", q);
    }
    if (spec instanceof EndpointSpec.Node n) {
      Destination node = nodeDestination(n, q);
      return n.port() == 0 ? List.of(node) : nodePortDestinations(node, q).orElse(List.of(node));
    }
    String ip = ((EndpointSpec.Ip) spec).ip();
    Optional<PodInfo> pod = inventory.podByIp(ip);
    if (pod.isPresent()) {
      return List.of(podDestination(usablePod(pod.get(), "destination"), q));
    }
    Optional<ServiceInfo> svc = inventory.serviceByClusterIp(ip);
    if (svc.isPresent()) {
      return serviceDestinations(svc.get(), ip, q);
    }
    return List.of(new Destination(ip, Optional.empty(), ip, q.dstPort(), Optional.empty()));
  }

  /**
   * A node's own address, or a NodePort on it: the packet is sent to the node's InternalIP and what
   * the node does with it is the node kernel's business (the agent's kernel hop).
   */
  Destination nodeDestination(EndpointSpec.Node n, TraceQuery q) {
    NodeInfo node =
        inventory
            .node(n.name())
            .orElseThrow(
                () -> TraceException.notFound("destination node " + n.name() + " not found"));
    if (node.internalIp().isEmpty()) {
      throw TraceException.precondition("destination node " + n.name() + " has no InternalIP");
    }
    int port = q.dstPort();
    if (n.port() != 0) {
      if (!q.hasPorts()) {
        throw TraceException.invalid(
            "destination " + n + ": a NodePort needs TCP, UDP or SCTP, not " + q.protocol());
      }
      if (q.dstPort() != 0 && q.dstPort() != n.port()) {
        throw TraceException.invalid(
            "dst_port " + q.dstPort() + " contradicts the NodePort in destination " + n);
      }
      port = n.port();
    }
    // a dual-stack node is reached at its InternalIP of the trace's family (--family)
    String ip = ofFamily(node.internalIps(), family(q), "destination node " + n.name());
    String label = n + " " + HostPort.of(ip, q.hasPorts() ? port : 0);
    return new Destination(label, Optional.empty(), ip, port, Optional.empty());
  }

  /**
   * A NodePort the inventory knows: one destination per ready endpoint of its Service, each first
   * sent to the node's address and port (the "VIP" the node's NAT rewrites), so the trace follows
   * the node's kernel and load balancer to that endpoint. Empty when no Service has the port.
   */
  private Optional<List<Destination>> nodePortDestinations(Destination node, TraceQuery q) {
    Optional<ServicePort> sp = nodePortService(node.port(), q);
    if (sp.isEmpty()) {
      return Optional.empty();
    }
    List<Destination> out =
        behind(node.label(), node.ip(), node.port(), sp.get().service(), sp.get().port(), "");
    if (out.isEmpty()) {
      throw TraceException.precondition(
          "NodePort "
              + node.port()
              + " of service "
              + sp.get().service().ref()
              + " has no ready endpoint");
    }
    return Optional.of(out);
  }

  /** A Service and its port (empty for ICMP). */
  record ServicePort(ServiceInfo service, Optional<ServiceInfo.Port> port) {}

  /** The Service (and port) whose NodePort {@code nodePort} is, for the query's protocol. */
  Optional<ServicePort> nodePortService(int nodePort, TraceQuery q) {
    String proto = q.protocol().name();
    for (ServiceInfo svc : inventory.current().allServices()) {
      for (ServiceInfo.Port p : svc.ports()) {
        if (p.nodePort() == nodePort && p.protocol().equalsIgnoreCase(proto)) {
          return Optional.of(new ServicePort(svc, Optional.of(p)));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The Service's endpoints behind an address outside its ClusterIPs (a NodePort, an ExternalIP),
   * each first sent to {@code ip}:{@code port}; {@code onlyNode}, when not empty, keeps the
   * endpoints on that node (externalTrafficPolicy Local). Empty when none is ready.
   */
  List<Destination> behind(
      String label,
      String ip,
      int port,
      ServiceInfo svc,
      Optional<ServiceInfo.Port> p,
      String onlyNode) {
    List<Destination> out = new ArrayList<>();
    for (Destination d : endpoints(svc, p, ip)) {
      if (!onlyNode.isEmpty() && !d.pod().map(PodInfo::node).orElse("").equals(onlyNode)) {
        continue;
      }
      out.add(
          new Destination(
              label + " -> " + d.label(),
              d.pod(),
              d.ip(),
              d.port(),
              Optional.of(new Destination.Vip(svc.ref(), ip, port))));
    }
    return out;
  }

  /**
   * The family a named destination is traced in: {@code --family}, else an IP literal source's own
   * (an outside or node address has one family, and the packet keeps it), else empty (the
   * destination's first address).
   */
  static OptionalInt family(TraceQuery q) {
    if (q.ipFamily().isPresent()) {
      return q.ipFamily();
    }
    return q.source() instanceof EndpointSpec.Ip src
        ? OptionalInt.of(src.ip().contains(":") ? 6 : 4)
        : OptionalInt.empty();
  }

  private static Destination podDestination(PodInfo pod, TraceQuery q) {
    String ip = ofFamily(pod.ips(), family(q), "destination pod " + pod.ref());
    return new Destination(
        Plan.label(pod, ip, q.hasPorts() ? q.dstPort() : 0),
        Optional.of(pod),
        ip,
        q.dstPort(),
        Optional.empty());
  }

  private List<Destination> serviceDestinations(ServiceInfo svc, String vipIp, TraceQuery q) {
    if (svc.clusterIps().isEmpty()) {
      throw TraceException.precondition(
          "service " + svc.ref() + " has no ClusterIP (headless): trace a pod instead");
    }
    String vip =
        vipIp.isEmpty() ? ofFamily(svc.clusterIps(), family(q), "service " + svc.ref()) : vipIp;
    Optional<ServiceInfo.Port> port = servicePort(svc, q);
    List<Destination> out = endpoints(svc, port, vip);
    if (out.isEmpty()) {
      throw TraceException.precondition(
          "service "
              + svc.ref()
              + " has no ready endpoint"
              + port.map(p -> " for " + q.protocol().name() + "/" + p.port()).orElse(""));
    }
    return out;
  }

  /** The Service port the query's protocol and dst_port name (empty without ports: ICMP). */
  static Optional<ServiceInfo.Port> servicePort(ServiceInfo svc, TraceQuery q) {
    String proto = q.protocol().name();
    Optional<ServiceInfo.Port> port;
    if (!q.hasPorts()) {
      port = Optional.empty();
    } else if (q.dstPort() != 0) {
      port = svc.port(proto, q.dstPort());
      if (port.isEmpty()) {
        throw TraceException.invalid(
            "dst_port: service "
                + svc.ref()
                + " has no "
                + proto
                + " port "
                + q.dstPort()
                + " (it has "
                + ports(svc)
                + ")");
      }
    } else {
      List<ServiceInfo.Port> candidates =
          svc.ports().stream().filter(p -> p.protocol().equalsIgnoreCase(proto)).toList();
      if (candidates.size() != 1) {
        throw TraceException.invalid(
            "dst_port: service " + svc.ref() + " has " + ports(svc) + "; say which port");
      }
      port = Optional.of(candidates.get(0));
    }
    return port;
  }

  /** The Service's ready endpoints (of the VIP's family) for {@code port}, as destinations. */
  List<Destination> endpoints(ServiceInfo svc, Optional<ServiceInfo.Port> port, String vip) {
    List<Destination> out = new ArrayList<>();
    for (ServiceEndpoint ep : inventory.endpoints(svc.ref())) {
      if (!ep.ready() || ep.ip().contains(":") != vip.contains(":")) {
        continue;
      }
      Optional<Integer> targetPort = port.isEmpty() ? Optional.of(0) : endpointPort(ep, port.get());
      if (targetPort.isEmpty()) {
        continue;
      }
      Optional<PodInfo> pod = ep.pod().flatMap(inventory::pod).or(() -> inventory.podByIp(ep.ip()));
      if (pod.isEmpty()) {
        continue;
      }
      int p = targetPort.get();
      out.add(
          new Destination(
              Plan.label(pod.get(), ep.ip(), p),
              pod,
              ep.ip(),
              p,
              Optional.of(
                  new Destination.Vip(
                      svc.ref(), vip, port.map(ServiceInfo.Port::port).orElse(0)))));
    }
    return out;
  }

  /**
   * The first of {@code ips} of {@code wanted} (4 or 6), or simply the first without one: what
   * --family picks of a dual-stack pod or Service.
   */
  static String ofFamily(List<String> ips, OptionalInt wanted, String what) {
    if (wanted.isEmpty()) {
      return ips.get(0);
    }
    int family = wanted.getAsInt();
    return ips.stream()
        .filter(ip -> ip.contains(":") == (family == 6))
        .findFirst()
        .orElseThrow(
            () ->
                TraceException.precondition(
                    what + " has no IPv" + family + " address (it has " + ips + ")"));
  }

  /** The endpoint port matching a Service port: by name, or the only port when unnamed. */
  private static Optional<Integer> endpointPort(ServiceEndpoint ep, ServiceInfo.Port port) {
    for (ServiceEndpoint.Port p : ep.ports()) {
      if (p.name().equals(port.name()) && p.protocol().equalsIgnoreCase(port.protocol())) {
        return Optional.of(p.port());
      }
    }
    if (ep.ports().isEmpty() && port.targetPort().matches("\\d+")) {
      return Optional.of(Integer.parseInt(port.targetPort()));
    }
    return Optional.empty();
  }

  private static String ports(ServiceInfo svc) {
    return svc.ports().stream()
        .map(p -> p.protocol().toLowerCase(Locale.ROOT) + "/" + p.port())
        .toList()
        .toString();
  }
}
