package io.podpath.agent.reliability;

import static io.podpath.proto.grpc.InvalidUtf8Requests.raw;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.podpath.proto.v1.AgentServiceGrpc;
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
 * Bytes that are no protobuf message at all, sent to the agent's service as the agent wires it:
 * INVALID_ARGUMENT (not UNKNOWN), one log line naming the method, no gRPC stack trace, nothing
 * started, and the agent still answering.
 */
class AgentMalformedProtobufTest {
  static RecordingAgent agent;

  @SuppressWarnings("ArrayRecordComponent") // a test case's bytes, never compared
  record Case(String name, MethodDescriptor<?, ?> method, byte[] body) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    agent = new RecordingAgent();
  }

  @AfterAll
  static void stop() {
    agent.close();
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
    List<MethodDescriptor<?, ?>> methods =
        List.of(
            AgentServiceGrpc.getTraceNodeMethod(),
            AgentServiceGrpc.getInspectPodMethod(),
            AgentServiceGrpc.getRunChecksMethod(),
            AgentServiceGrpc.getProbeMethod());
    for (MethodDescriptor<?, ?> m : methods) {
      for (int i = 0; i < GARBAGE.size(); i++) {
        c.add(new Case(m.getBareMethodName() + " garbage#" + i, m, GARBAGE.get(i)));
      }
    }
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void invalidArgumentOneLogLineNoStackTrace(Case c) {
    agent.drain();
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
      ClientCalls.blockingUnaryCall(
          agent.channel(),
          raw(c.method()),
          CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          c.body());
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
    assertThat(agent.drain()).as("started by " + c.name()).isEmpty();
    AgentBadInputTest.agent = agent;
    AgentBadInputTest.assertServing();
  }
}
