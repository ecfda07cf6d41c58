package io.podpath.aggregator.reliability;

import static io.podpath.proto.grpc.InvalidUtf8Requests.INVALID;
import static io.podpath.proto.grpc.InvalidUtf8Requests.MARK;
import static io.podpath.proto.grpc.InvalidUtf8Requests.corrupt;
import static io.podpath.proto.grpc.InvalidUtf8Requests.raw;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.InspectRequest;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.SweepRequest;
import io.podpath.proto.v1.TraceRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid UTF-8 in the aggregator's request strings, sent as raw bytes over its real server:
 * INVALID_ARGUMENT naming the field, no agent called, a valid trace answering after.
 */
class AggregatorInvalidUtf8Test {
  record Case(String name, MethodDescriptor<?, ?> method, Message template, String field, int bad) {
    @Override
    public String toString() {
      return name + " bytes#" + bad;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    AggregatorBadInputTest.start();
  }

  @AfterAll
  static void stop() {
    AggregatorBadInputTest.stop();
  }

  static Stream<Case> cases() {
    TraceRequest.Builder valid = AggregatorBadInputTest.valid();
    List<Case> base =
        List.of(
            new Case(
                "Trace source.pod.namespace",
                AggregatorServiceGrpc.getTraceMethod(),
                valid.clone().setSource(AggregatorBadInputTest.pod(MARK, "client-1")).build(),
                "source.pod.namespace",
                0),
            new Case(
                "Trace destination.ip",
                AggregatorServiceGrpc.getTraceMethod(),
                valid.clone().setDestination(Endpoint.newBuilder().setIp(MARK)).build(),
                "destination.ip",
                0),
            new Case(
                "Trace destination.service.name",
                AggregatorServiceGrpc.getTraceMethod(),
                valid
                    .clone()
                    .setDestination(AggregatorBadInputTest.svc("default", MARK))
                    .setProtocol(Protocol.PROTOCOL_TCP)
                    .build(),
                "destination.service.name",
                0),
            new Case(
                "Inspect pod.name",
                AggregatorServiceGrpc.getInspectMethod(),
                InspectRequest.newBuilder()
                    .setPod(PodRef.newBuilder().setNamespace("default").setName(MARK))
                    .build(),
                "pod.name",
                0),
            new Case(
                "Sweep nodes",
                AggregatorServiceGrpc.getSweepMethod(),
                SweepRequest.newBuilder().addNodes(MARK).build(),
                "nodes",
                0),
            new Case(
                "Sweep check_ids",
                AggregatorServiceGrpc.getSweepMethod(),
                SweepRequest.newBuilder().addCheckIds(MARK).build(),
                "check_ids",
                0));
    List<Case> out = new ArrayList<>();
    for (Case c : base) {
      for (int i = 0; i < INVALID.size(); i++) {
        out.add(new Case(c.name(), c.method(), c.template(), c.field(), i));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void invalidUtf8IsInvalidArgumentNamingTheField(Case c) {
    byte[] body = corrupt(c.template(), INVALID.get(c.bad()));
    MethodDescriptor<byte[], byte[]> raw = raw(c.method());
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    AggregatorBadInputTest.agents.drain();
    StatusRuntimeException e;
    try {
      if (raw.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
        Iterator<byte[]> it =
            ClientCalls.blockingServerStreamingCall(
                AggregatorBadInputTest.channel, raw, options, body);
        while (it.hasNext()) {
          it.next();
        }
      } else {
        ClientCalls.blockingUnaryCall(AggregatorBadInputTest.channel, raw, options, body);
      }
      throw new AssertionError("call succeeded");
    } catch (StatusRuntimeException ex) {
      e = ex;
    }
    assertThat(e.getStatus().getCode())
        .as(e.getStatus().toString())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).startsWith(c.field() + ":");
    assertThat(AggregatorBadInputTest.agents.drain()).isEmpty();
    AggregatorBadInputTest.assertServing();
  }
}
