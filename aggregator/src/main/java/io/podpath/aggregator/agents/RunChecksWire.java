package io.podpath.aggregator.agents;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ClientCalls;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.ClusterContext;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.ServiceInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * RunChecks with the sweep's Services encoded once per sweep. Every node's request carries every
 * Service with its ready backends (the same list, {@link SweepCalls} maps it once per sweep): at
 * 5,000 nodes and one 5,000-backend Service that was ~125 KB of protobuf encoded 5,000 times, the
 * sweep's largest CPU cost. The wire keeps the same message: a {@code context} field holding only
 * the Services, followed by the rest of the request; protobuf merges repeated occurrences of an
 * embedded message field, so the agent parses exactly the request built.
 */
final class RunChecksWire {
  private static final MethodDescriptor.Marshaller<RunChecksRequest> PLAIN =
      ProtoUtils.marshaller(RunChecksRequest.getDefaultInstance());

  static final MethodDescriptor<RunChecksRequest, CheckReport> METHOD =
      AgentServiceGrpc.getRunChecksMethod().toBuilder(new Marshaller(), responses()).build();

  /** Times the Services were encoded (tests: once per sweep, not per node). */
  static final AtomicLong ENCODINGS = new AtomicLong();

  /** The last Services list (by identity) and its encoding as a {@code context} field. */
  private record Encoded(List<ServiceInfo> services, ByteString field) {}

  private static final AtomicReference<Encoded> LAST = new AtomicReference<>();

  private RunChecksWire() {}

  static ListenableFuture<CheckReport> runChecks(AbstractStub<?> stub, RunChecksRequest request) {
    return ClientCalls.futureUnaryCall(
        stub.getChannel().newCall(METHOD, stub.getCallOptions()), request);
  }

  /** The request's bytes: as protobuf encodes it, with the shared Services encoded once. */
  static ByteString encode(RunChecksRequest r) {
    List<ServiceInfo> services = r.getContext().getServicesList();
    if (services.isEmpty()) {
      return r.toByteString();
    }
    Encoded last = LAST.get();
    if (last == null || last.services() != services) {
      last = new Encoded(services, contextField(services));
      LAST.set(last);
    }
    RunChecksRequest.Builder rest = r.toBuilder();
    rest.getContextBuilder().clearServices();
    return last.field().concat(rest.build().toByteString());
  }

  private static ByteString contextField(List<ServiceInfo> services) {
    ENCODINGS.incrementAndGet();
    ClusterContext only = ClusterContext.newBuilder().addAllServices(services).build();
    int size = only.getSerializedSize();
    ByteString.Output out =
        ByteString.newOutput(
            CodedOutputStream.computeTagSize(RunChecksRequest.CONTEXT_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(size)
                + size);
    try {
      CodedOutputStream c = CodedOutputStream.newInstance(out);
      c.writeMessage(RunChecksRequest.CONTEXT_FIELD_NUMBER, only);
      c.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteString();
  }

  private static MethodDescriptor.Marshaller<CheckReport> responses() {
    return ProtoUtils.marshaller(CheckReport.getDefaultInstance());
  }

  private static final class Marshaller implements MethodDescriptor.Marshaller<RunChecksRequest> {
    @Override
    public InputStream stream(RunChecksRequest value) {
      return encode(value).newInput();
    }

    @Override
    public RunChecksRequest parse(InputStream stream) {
      return PLAIN.parse(stream);
    }
  }
}
