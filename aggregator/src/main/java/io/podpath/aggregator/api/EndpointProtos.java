package io.podpath.aggregator.api;

import io.podpath.aggregator.trace.EndpointSpec;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.NodeTarget;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ServiceRef;

/**
 * A parsed trace endpoint as the Trace request carries it: one mapping for the CLI and the page.
 */
public final class EndpointProtos {
  private EndpointProtos() {}

  public static Endpoint toProto(EndpointSpec e) {
    if (e instanceof EndpointSpec.Pod p) {
      return Endpoint.newBuilder()
          .setPod(PodRef.newBuilder().setNamespace(p.ref().namespace()).setName(p.ref().name()))
          .build();
    }
    if (e instanceof EndpointSpec.Service s) {
      return Endpoint.newBuilder()
          .setService(
              ServiceRef.newBuilder().setNamespace(s.ref().namespace()).setName(s.ref().name()))
          .build();
    }
    if (e instanceof EndpointSpec.Node n) {
      return Endpoint.newBuilder()
          .setNode(NodeTarget.newBuilder().setName(n.name()).setPort(n.port()))
          .build();
    }
    return Endpoint.newBuilder().setIp(((EndpointSpec.Ip) e).ip()).build();
  }
}
