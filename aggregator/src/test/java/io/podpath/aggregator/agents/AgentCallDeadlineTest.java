package io.podpath.aggregator.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.RunChecksRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * #22 "did not answer within 30000 ms when the call was cut at 10 s": over real TCP (Netty), the
 * timeout names the deadline that applied. (The dead connection after a node recovers: {@link
 * AgentReconnectSandboxTest}.)
 */
class AgentCallDeadlineTest {
  /** Answers RunChecks at once, or never while {@code silent}. */
  static final class Agent extends AgentServiceGrpc.AgentServiceImplBase {
    final AtomicBoolean silent = new AtomicBoolean();

    @Override
    public void runChecks(RunChecksRequest request, StreamObserver<CheckReport> out) {
      if (silent.get()) {
        return; // never answers
      }
      out.onNext(CheckReport.newBuilder().setNode("node1").build());
      out.onCompleted();
    }
  }

  private final Agent agent = new Agent();
  private @Nullable Server server;
  private @Nullable GrpcAgentClient client;

  private GrpcAgentClient start(Duration clientDeadline) throws IOException {
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(agent)
            .build()
            .start();
    int port = server.getPort();
    client =
        new GrpcAgentClient(
            StaticAgentDirectory.parse(List.of("node1=127.0.0.1:" + port)),
            InsecureChannelCredentials.create(),
            clientDeadline,
            new SimpleMeterRegistry());
    return client;
  }

  @AfterEach
  void stop() throws IOException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  @Test
  void aTimeoutNamesTheDeadlineThatAppliedNotTheOneAsked() throws Exception {
    GrpcAgentClient c = start(Duration.ofMillis(400));
    agent.silent.set(true);
    // the sweep asks for 30 s per node; the client's own deadline, 400 ms, is what applies
    assertThatThrownBy(
            () ->
                c.runChecksAsync(
                        "node1", RunChecksRequest.getDefaultInstance(), Duration.ofSeconds(30))
                    .join())
        .cause()
        .isInstanceOfSatisfying(
            AgentException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(AgentException.Kind.TIMEOUT);
              assertThat(e.getMessage()).contains("did not answer within 400 ms");
              assertThat(e.getMessage()).doesNotContain("30000");
            });
  }
}
