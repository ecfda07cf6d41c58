package io.podpath.bench;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Tells simulated nodes apart by the local port a call arrived on: one server listens on a port per
 * node, so the aggregator dials each node at its own address as it would in a cluster.
 */
final class NodeByPort implements ServerInterceptor {
  static final Context.Key<Integer> NODE = Context.key("podpath-bench-node");
  private final int basePort;

  NodeByPort(int basePort) {
    this.basePort = basePort;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress local = call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR);
    int node = local instanceof InetSocketAddress a ? Fleet.node(basePort, a.getPort()) : 1;
    return Contexts.interceptCall(Context.current().withValue(NODE, node), call, headers, next);
  }
}
