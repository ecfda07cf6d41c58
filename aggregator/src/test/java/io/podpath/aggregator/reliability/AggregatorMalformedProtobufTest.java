package io.podpath.aggregator.reliability;

import static io.podpath.proto.grpc.InvalidUtf8Requests.raw;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes that are no protobuf message at all, sent on a real channel to the aggregator's Netty
 * server: INVALID_ARGUMENT (not UNKNOWN), one log line naming the method, no gRPC stack trace, and
 * the server still answering.
 */
class AggregatorMalformedProtobufTest {
  @SuppressWarnings("ArrayRecordComponent") // a test case's bytes, never compared
  record Case(String name, MethodDescriptor<?, ?> method, byte[] body) {
    @Override
    public String toString() {
      return name;
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

  static final List<byte[]> GARBAGE =
      List.of(
          new byte[] {
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF
          }, // cut varint
          new byte[] {0x0A, 0x7F, 0x41}, // length 127, one byte follows
          new byte[] {0x07, 0x01}); // wire type 7 does not exist

  static Stream<Case> cases() {
    List<Case> c = new ArrayList<>();
    for (int i = 0; i < GARBAGE.size(); i++) {
      c.add(new Case("Trace garbage#" + i, AggregatorServiceGrpc.getTraceMethod(), GARBAGE.get(i)));
      c.add(
          new Case(
              "Inspect garbage#" + i, AggregatorServiceGrpc.getInspectMethod(), GARBAGE.get(i)));
      c.add(new Case("Sweep garbage#" + i, AggregatorServiceGrpc.getSweepMethod(), GARBAGE.get(i)));
    }
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void invalidArgumentOneLogLineNoStackTrace(Case c) {
    MethodDescriptor<byte[], byte[]> m = raw(c.method());
    List<LogRecord> jul = new ArrayList<>();
    Handler h =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
              jul.add(r);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    root.addHandler(h);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    StatusRuntimeException e = null;
    try {
      CallOptions o = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
      if (m.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
        ClientCalls.blockingServerStreamingCall(AggregatorBadInputTest.channel, m, o, c.body())
            .forEachRemaining(x -> {});
      } else {
        ClientCalls.blockingUnaryCall(AggregatorBadInputTest.channel, m, o, c.body());
      }
    } catch (StatusRuntimeException ex) {
      e = ex;
    } finally {
      System.setErr(err);
      root.removeHandler(h);
    }
    assertThat(e).as("call succeeded").isNotNull();
    assertThat(e.getStatus().getCode())
        .as(e.getStatus().toString())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).startsWith("request:");
    List<String> lines =
        captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as("log lines").hasSize(1);
    assertThat(lines.get(0)).contains(c.method().getFullMethodName());
    assertThat(jul).as("gRPC warnings/stack traces").isEmpty();
    AggregatorBadInputTest.assertServing();
  }
}
