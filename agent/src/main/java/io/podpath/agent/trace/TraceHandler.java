package io.podpath.agent.trace;

import io.podpath.agent.grpc.Handlers;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TraceNodeRequest;
import java.time.Duration;

/** The gRPC service's TraceNode handler: validate, trace, map. */
public final class TraceHandler implements Handlers.Trace {
  private final NodeTracer tracer;

  public TraceHandler(NodeTracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public NodeTrace trace(TraceNodeRequest request, Duration budget) {
    return NodeTraceMapper.toProto(tracer.trace(TraceRequests.fromProto(request), budget));
  }

  @Override
  public void close() {
    tracer.close();
  }
}
