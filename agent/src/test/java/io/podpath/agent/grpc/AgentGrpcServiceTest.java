package io.podpath.agent.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.podpath.agent.AgentContext;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.errors.NotFoundException;
import io.podpath.agent.errors.UnavailableException;
import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandFailedException;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.exec.CommandRunner;
import io.podpath.agent.ip.IpTool;
import io.podpath.agent.node.NodeInspector;
import io.podpath.agent.ovsdb.OvsDatabase;
import io.podpath.agent.ovsdb.OvsdbClient;
import io.podpath.agent.ovsdb.OvsdbRow;
import io.podpath.agent.ovsdb.ProtocolOvsDatabase;
import io.podpath.agent.ovsdb.Remote;
import io.podpath.agent.pod.PodLocator;
import io.podpath.agent.unixctl.ProtocolUnixctl;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.TraceNodeRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gRPC edge over the in-process transport: validation, status mapping, deadlines, cap. */
class AgentGrpcServiceTest {
  /** Records every command and OVSDB read, so a test can prove none happened. */
  static final List<String> touched = new CopyOnWriteArrayList<>();

  static final CommandRunner RECORDING_RUNNER =
      new CommandRunner() {
        @Override
        public CommandResult run(Command command) {
          touched.add(command.display());
          throw new AssertionError("no command may run in this test: " + command.display());
        }
      };

  static final OvsDatabase RECORDING_DB =
      new OvsDatabase() {
        @Override
        public List<OvsdbRow> list(String table, List<String> columns, Duration timeout) {
          touched.add("ovsdb " + table);
          throw new AssertionError("no OVSDB read may happen in this test");
        }

        @Override
        public String via() {
          return "test";
        }
      };

  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() {
    touched.clear();
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  private AgentServiceBlockingStub start(OvsDatabase db, Optional<Handlers.Trace> trace, int cap)
      throws Exception {
    Supplier<Path> noSocket = () -> Path.of("/nonexistent/ovs-vswitchd.1.ctl");
    AgentContext ctx =
        new AgentContext(
            "node1",
            Path.of("/nonexistent"),
            Optional.empty(),
            RECORDING_RUNNER,
            null,
            db,
            new ProtocolUnixctl(noSocket),
            new ProtocolUnixctl(noSocket),
            Optional.empty(),
            Optional.empty(),
            new IpTool(RECORDING_RUNNER),
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                new AgentGrpcService(
                    new NodeInspector(ctx),
                    new PodLocator(ctx),
                    trace,
                    Optional.empty(),
                    Optional.empty(),
                    cap))
            .executor(java.util.concurrent.Executors.newCachedThreadPool())
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    return AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  private static StatusRuntimeException fails(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("call succeeded");
  }

  @Test
  void invalidPodIsRejectedNamingTheFieldAndNothingRuns() throws Exception {
    AgentServiceBlockingStub stub = start(RECORDING_DB, Optional.empty(), 4);
    for (PodRef bad :
        List.of(
            PodRef.newBuilder().setNamespace("default; ls").setName("web").build(),
            PodRef.newBuilder().setNamespace("default").setName("Web_1").build(),
            PodRef.newBuilder().setNamespace("").setName("web").build())) {
      StatusRuntimeException e =
          fails(() -> stub.inspectPod(InspectPodRequest.newBuilder().setPod(bad).build()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).startsWith("pod.");
    }
    StatusRuntimeException ip =
        fails(() -> stub.inspectPod(InspectPodRequest.newBuilder().setIp("web.local").build()));
    assertThat(ip.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(ip.getStatus().getDescription()).startsWith("ip:");
    StatusRuntimeException none =
        fails(() -> stub.inspectPod(InspectPodRequest.newBuilder().build()));
    assertThat(none.getStatus().getDescription()).startsWith("target:");
    assertThat(touched).as("commands or OVSDB reads started for invalid input").isEmpty();
  }

  @Test
  void unreachableOvsdbIsUnavailableNamingTheSocket() throws Exception {
    OvsdbClient client = new OvsdbClient(Remote.parse("unix:/nonexistent/podpath/db.sock"));
    AgentServiceBlockingStub stub = start(new ProtocolOvsDatabase(client), Optional.empty(), 4);
    StatusRuntimeException e = fails(() -> stub.getNode(GetNodeRequest.getDefaultInstance()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).contains("unix:/nonexistent/podpath/db.sock");
  }

  @Test
  void typedErrorsMapToTheirStatusInOnePlace() throws Exception {
    List<Object[]> cases =
        List.of(
            new Object[] {new NotFoundException("pod x"), Status.Code.NOT_FOUND, "pod x"},
            new Object[] {
              new UnavailableException("/run/ovs/db.sock", "refused"),
              Status.Code.UNAVAILABLE,
              "/run/ovs/db.sock"
            },
            new Object[] {
              new CommandFailedException("ovs-appctl x", 2, "Invalid flow\n"),
              Status.Code.INTERNAL,
              "Invalid flow"
            },
            new Object[] {
              new DeadlineExceededException("slow"), Status.Code.DEADLINE_EXCEEDED, "slow"
            },
            new Object[] {
              new InvalidArgumentException("packet.dst_port", "must be 1-65535"),
              Status.Code.INVALID_ARGUMENT,
              "packet.dst_port"
            },
            new Object[] {new IllegalStateException("bug"), Status.Code.INTERNAL, "bug"});
    for (Object[] c : cases) {
      RuntimeException ex = (RuntimeException) c[0];
      AgentServiceBlockingStub stub =
          start(
              RECORDING_DB,
              Optional.of(
                  (req, budget) -> {
                    throw ex;
                  }),
              4);
      StatusRuntimeException e = fails(() -> stub.traceNode(TraceNodeRequest.getDefaultInstance()));
      assertThat(e.getStatus().getCode()).as(ex.toString()).isEqualTo(c[1]);
      assertThat(e.getStatus().getDescription()).contains((String) c[2]);
      stop();
    }
  }

  @Test
  void missingHandlersAreUnimplemented() throws Exception {
    AgentServiceBlockingStub stub = start(RECORDING_DB, Optional.empty(), 4);
    assertThat(
            fails(() -> stub.traceNode(TraceNodeRequest.getDefaultInstance()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(
            fails(() -> stub.runChecks(RunChecksRequest.getDefaultInstance()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(fails(() -> stub.probe(ProbeRequest.getDefaultInstance())).getStatus().getCode())
        .isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void handlersGetTheCallersDeadlineAsBudget() throws Exception {
    List<Duration> seen = new CopyOnWriteArrayList<>();
    AgentServiceBlockingStub stub =
        start(
            RECORDING_DB,
            Optional.of(
                (req, budget) -> {
                  seen.add(budget);
                  return NodeTrace.newBuilder().setNode("node1").build();
                }),
            4);
    stub.withDeadlineAfter(1500, TimeUnit.MILLISECONDS)
        .traceNode(TraceNodeRequest.getDefaultInstance());
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).isLessThanOrEqualTo(Duration.ofMillis(1500)).isPositive();
  }

  @Test
  void slowWorkEndsWithDeadlineExceeded() throws Exception {
    AgentServiceBlockingStub stub =
        start(
            RECORDING_DB,
            Optional.of(
                (req, budget) -> {
                  try {
                    Thread.sleep(budget.toMillis() + 300);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return NodeTrace.getDefaultInstance();
                }),
            4);
    StatusRuntimeException e =
        fails(
            () ->
                stub.withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                    .traceNode(TraceNodeRequest.getDefaultInstance()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void callsBeyondTheCapAreResourceExhausted() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AgentServiceBlockingStub stub =
        start(
            RECORDING_DB,
            Optional.of(
                (req, budget) -> {
                  entered.countDown();
                  try {
                    release.await(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return NodeTrace.getDefaultInstance();
                }),
            1);
    Thread first = new Thread(() -> stub.traceNode(TraceNodeRequest.getDefaultInstance()));
    first.start();
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
    StatusRuntimeException e = fails(() -> stub.traceNode(TraceNodeRequest.getDefaultInstance()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    release.countDown();
    first.join(5000);
    assertThatThrownBy(() -> stub.runChecks(RunChecksRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("UNIMPLEMENTED");
  }
}
