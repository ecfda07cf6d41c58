package io.podpath.aggregator.api;

import io.podpath.aggregator.agents.AgentProtos;
import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.trace.EndpointSpec;
import io.podpath.aggregator.trace.TraceQuery;
import io.podpath.aggregator.util.IpLiteral;
import io.podpath.aggregator.util.Shown;
import io.podpath.common.Dns1123;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.InspectRequest;
import io.podpath.proto.v1.NodeTarget;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceRequest;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/** Turns requests into typed queries; every rejection names the field. */
final class RequestValidator {
  private RequestValidator() {}

  static TraceQuery trace(TraceRequest r) {
    EndpointSpec source = endpoint(r.hasSource() ? r.getSource() : null, "source");
    EndpointSpec destination =
        endpoint(r.hasDestination() ? r.getDestination() : null, "destination");
    Protocol p = r.getProtocol();
    if (p == Protocol.PROTOCOL_UNSPECIFIED || p == Protocol.UNRECOGNIZED) {
      throw new InvalidRequestException("protocol", "required (TCP, UDP, ICMP or SCTP)");
    }
    boolean icmp = p == Protocol.PROTOCOL_ICMP;
    port(r.getSrcPort(), "src_port", icmp);
    port(r.getDstPort(), "dst_port", icmp);
    OptionalInt icmpType = OptionalInt.empty();
    if (r.hasIcmpType()) {
      if (!icmp) {
        throw new InvalidRequestException("icmp_type", "only for protocol ICMP");
      }
      // uint32 on the wire: values above 2^31 arrive as negative ints.
      if (Integer.compareUnsigned(r.getIcmpType(), 255) > 0) {
        throw new InvalidRequestException(
            "icmp_type", Integer.toUnsignedString(r.getIcmpType()) + " is not in 0-255");
      }
      icmpType = OptionalInt.of(r.getIcmpType());
    }
    int maxHops = r.getMaxHops() == 0 ? TraceQuery.DEFAULT_MAX_HOPS : r.getMaxHops();
    if (Integer.compareUnsigned(maxHops, 16) > 0) {
      throw new InvalidRequestException(
          "max_hops", Integer.toUnsignedString(r.getMaxHops()) + " is not in 1-16");
    }
    if (source instanceof EndpointSpec.Node n && n.port() != 0) {
      throw new InvalidRequestException(
          "source.node.port", "a NodePort is a destination only; give node/" + n.name());
    }
    return TraceQuery.builder(source, destination, AgentProtos.protocol(p))
        .srcPort(unsetIfZero(r.getSrcPort()))
        .dstPort(r.getDstPort())
        .icmpType(icmpType)
        .includeRaw(r.getIncludeRaw())
        .maxHops(maxHops)
        .forwardOnly(r.getForwardOnly())
        .sizing(sizing(r))
        .ingressNode(ingressNode(r, source))
        .includeConntrackEntries(r.getIncludeConntrackEntries())
        .ipFamily(unsetIfZero(ipFamily(r.getIpFamily(), source, destination)))
        .build();
  }

  /** proto3's default 0 is "not given". */
  private static OptionalInt unsetIfZero(int value) {
    return value == 0 ? OptionalInt.empty() : OptionalInt.of(value);
  }

  static ObjectRef inspect(InspectRequest r) {
    if (!r.hasPod()) {
      throw new InvalidRequestException("pod", "required");
    }
    return pod(r.getPod(), "pod");
  }

  private static void port(int port, String field, boolean icmp) {
    if (Integer.compareUnsigned(port, 65535) > 0) {
      throw new InvalidRequestException(
          field, Integer.toUnsignedString(port) + " is not in 0-65535");
    }
    if (icmp && port != 0) {
      throw new InvalidRequestException(field, "not allowed for ICMP");
    }
  }

  private static EndpointSpec endpoint(@Nullable Endpoint e, String field) {
    if (e == null) {
      throw new InvalidRequestException(field, "required");
    }
    return switch (e.getKindCase()) {
      case POD -> new EndpointSpec.Pod(pod(e.getPod(), field + ".pod"));
      case SERVICE ->
          new EndpointSpec.Service(
              ref(e.getService().getNamespace(), e.getService().getName(), field + ".service"));
      case IP ->
          new EndpointSpec.Ip(
              IpLiteral.canonical(e.getIp())
                  .orElseThrow(
                      () ->
                          new InvalidRequestException(
                              field + ".ip",
                              "'" + Shown.of(e.getIp()) + "' is not an IP address")));
      case NODE -> node(e.getNode(), field + ".node");
      case KIND_NOT_SET ->
          throw new InvalidRequestException(field, "one of pod, service, ip or node is required");
    };
  }

  private static EndpointSpec.Node node(NodeTarget n, String field) {
    if (!Dns1123.isSubdomain(n.getName())) {
      throw new InvalidRequestException(
          field + ".name", "'" + Shown.of(n.getName()) + "' is not a DNS-1123 subdomain");
    }
    if (Integer.compareUnsigned(n.getPort(), 65535) > 0) {
      throw new InvalidRequestException(
          field + ".port", Integer.toUnsignedString(n.getPort()) + " is not in 0-65535");
    }
    return new EndpointSpec.Node(n.getName(), n.getPort());
  }

  /** 0, 4 or 6; an ip: literal decides its own family, so a different one is a contradiction. */
  private static int ipFamily(int family, EndpointSpec... ends) {
    if (family != 0 && family != 4 && family != 6) {
      throw new InvalidRequestException(
          "ip_family", Integer.toUnsignedString(family) + " is not 4 or 6 (0 = the destination's)");
    }
    for (EndpointSpec e : ends) {
      if (family != 0
          && e instanceof EndpointSpec.Ip ip
          && (ip.ip().contains(":") != (family == 6))) {
        throw new InvalidRequestException(
            "ip_family", "IPv" + family + " contradicts ip:" + ip.ip() + ", which decides its own");
      }
    }
    return family;
  }

  private static TraceQuery.Sizing sizing(TraceRequest r) {
    int size = r.getSize();
    if (size != 0
        && (Integer.compareUnsigned(size, TraceQuery.Sizing.MIN_SIZE) < 0
            || Integer.compareUnsigned(size, TraceQuery.Sizing.MAX_SIZE) > 0)) {
      throw new InvalidRequestException(
          "size",
          Integer.toUnsignedString(size)
              + " is not in "
              + TraceQuery.Sizing.MIN_SIZE
              + "-"
              + TraceQuery.Sizing.MAX_SIZE
              + " (the IP total length in bytes; 0 = a small packet)");
    }
    return new TraceQuery.Sizing(size, r.getAllowFragmentation());
  }

  private static Optional<String> ingressNode(TraceRequest r, EndpointSpec source) {
    String n = r.getIngressNode();
    if (n.isEmpty()) {
      return Optional.empty();
    }
    if (!Dns1123.isSubdomain(n)) {
      throw new InvalidRequestException(
          "ingress_node", "'" + Shown.of(n) + "' is not a DNS-1123 subdomain");
    }
    if (!(source instanceof EndpointSpec.Ip)) {
      throw new InvalidRequestException(
          "ingress_node", "only for a source outside the cluster (ip:ADDRESS), not " + source);
    }
    return Optional.of(n);
  }

  private static ObjectRef pod(PodRef p, String field) {
    return ref(p.getNamespace(), p.getName(), field);
  }

  private static ObjectRef ref(String namespace, String name, String field) {
    if (!Dns1123.isLabel(namespace)) {
      throw new InvalidRequestException(
          field + ".namespace", "'" + Shown.of(namespace) + "' is not a DNS-1123 label");
    }
    if (!Dns1123.isSubdomain(name)) {
      throw new InvalidRequestException(
          field + ".name", "'" + Shown.of(name) + "' is not a DNS-1123 subdomain");
    }
    return new ObjectRef(namespace, name);
  }
}
