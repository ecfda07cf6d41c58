package io.podpath.agent.grpc;

import static io.podpath.agent.grpc.EdgeFixtures.RECORDING_DB;
import static io.podpath.agent.grpc.EdgeFixtures.RECORDING_RUNNER;
import static io.podpath.agent.grpc.EdgeFixtures.RESULT;
import static io.podpath.agent.grpc.EdgeFixtures.UNUSED;
import static io.podpath.agent.grpc.EdgeFixtures.VALID;
import static io.podpath.agent.grpc.EdgeFixtures.touched;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.agent.AgentContext;
import io.podpath.agent.checks.CheckService;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.errors.NotFoundException;
import io.podpath.agent.errors.UnavailableException;
import io.podpath.agent.exec.CommandFailedException;
import io.podpath.agent.ip.IpTool;
import io.podpath.agent.node.NodeInspector;
import io.podpath.agent.ovsdb.OvsDatabase;
import io.podpath.agent.ovsdb.OvsdbClient;
import io.podpath.agent.ovsdb.ProtocolOvsDatabase;
import io.podpath.agent.ovsdb.Remote;
import io.podpath.agent.pod.PodLocator;
import io.podpath.agent.trace.Tracer;
import io.podpath.agent.unixctl.ProtocolUnixctl;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceNodeRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gRPC edge over the in-process transport: validation, status mapping, deadlines, cap. */
class AgentGrpcServiceTest {
  private @Nullable Server server;
  private @Nullable ManagedChannel channel;

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

  private AgentServiceBlockingStub start(OvsDatabase db, Tracer tracer, int cap) throws Exception {
    Supplier<Path> noSocket = () -> Path.of("/nonexistent/ovs-vswitchd.1.ctl");
    AgentContext ctx =
        AgentContext.builder("node1", Path.of("/nonexistent"))
            .runner(RECORDING_RUNNER)
            .ovsdb(db)
            .vswitchd(new ProtocolUnixctl(noSocket))
            .ovnController(new ProtocolUnixctl(noSocket))
            .ip(new IpTool(RECORDING_RUNNER))
            .build();
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                new AgentGrpcService(
                    new NodeInspector(ctx),
                    new PodLocator(ctx),
                    tracer,
                    CheckService.forAgent(
                        ctx,
                        new SimpleMeterRegistry(),
                        new io.podpath.agent.checks.ProbeScope(java.util.List.of())),
                    cap))
            .executor(Executors.newCachedThreadPool())
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
    AgentServiceBlockingStub stub = start(RECORDING_DB, UNUSED, 4);
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
    AgentServiceBlockingStub stub = start(new ProtocolOvsDatabase(client), UNUSED, 4);
    StatusRuntimeException e = fails(() -> stub.getNode(GetNodeRequest.getDefaultInstance()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).contains("unix:/nonexistent/podpath/db.sock");
  }

  /**
   * #22: a hung ovsdb-server (accepts, reads, never answers) made GetNode and InspectPod wait for
   * the caller's deadline and Probe say NOT_FOUND "no network namespace" for a pod that exists.
   * With the caller willing to wait a minute, each is UNAVAILABLE naming the socket within the
   * agent's own OVSDB read timeout.
   */
  @Test
  void aHungOvsdbServerIsUnavailableNamingTheSocketWithinTheAgentsOwnTimeout() throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("hung-ovsdb");
    Path sock = dir.resolve("db.sock");
    try (java.nio.channels.ServerSocketChannel hung =
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      hung.bind(java.net.UnixDomainSocketAddress.of(sock));
      List<java.nio.channels.SocketChannel> held = new CopyOnWriteArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(hung.accept()); // and never a byte back
                  }
                } catch (java.io.IOException e) {
                  // closed at the end of the test
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      OvsdbClient client = new OvsdbClient(Remote.parse("unix:" + sock));
      AgentServiceBlockingStub stub =
          start(new ProtocolOvsDatabase(client), UNUSED, 4).withDeadlineAfter(60, TimeUnit.SECONDS);
      PodRef pod = PodRef.newBuilder().setNamespace("default").setName("client-1").build();
      List<Runnable> calls =
          List.of(
              () -> stub.getNode(GetNodeRequest.getDefaultInstance()),
              () -> stub.inspectPod(InspectPodRequest.newBuilder().setPod(pod).build()),
              () ->
                  stub.probe(
                      ProbeRequest.newBuilder()
                          .setSource(pod)
                          .setDestinationIp("10.244.1.3")
                          .setProtocol(Protocol.PROTOCOL_ICMP)
                          .build()));
      for (Runnable call : calls) {
        long start = System.nanoTime();
        StatusRuntimeException e = fails(call);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(e.getStatus().getCode())
            .as(e.getStatus().toString())
            .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(e.getStatus().getDescription()).contains(sock.toString());
        assertThat(took).as("the caller's deadline is 60 s").isLessThan(Duration.ofSeconds(30));
      }
      for (java.nio.channels.SocketChannel c : held) {
        c.close();
      }
    } finally {
      java.nio.file.Files.deleteIfExists(sock);
      java.nio.file.Files.deleteIfExists(dir);
    }
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
              (spec, budget) -> {
                throw ex;
              },
              4);
      StatusRuntimeException e = fails(() -> stub.traceNode(VALID));
      assertThat(e.getStatus().getCode()).as(ex.toString()).isEqualTo(c[1]);
      assertThat(e.getStatus().getDescription()).contains((String) c[2]);
      stop();
    }
  }

  @Test
  void invalidRequestsNeverReachTheDomain() throws Exception {
    AgentServiceBlockingStub stub = start(RECORDING_DB, UNUSED, 4);
    for (TraceNodeRequest bad :
        List.of(
            TraceNodeRequest.getDefaultInstance(),
            VALID.toBuilder().setPacket(VALID.getPacket().toBuilder().setDstIp("web")).build(),
            VALID.toBuilder().setPacket(VALID.getPacket().toBuilder().setDstPort(0)).build())) {
      assertThat(fails(() -> stub.traceNode(bad)).getStatus().getCode())
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
    StatusRuntimeException probe =
        fails(
            () ->
                stub.probe(
                    ProbeRequest.newBuilder()
                        .setSource(PodRef.newBuilder().setNamespace("default").setName("x"))
                        .setDestinationIp("10.0.0.1; reboot")
                        .setProtocol(Protocol.PROTOCOL_ICMP)
                        .build()));
    assertThat(probe.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(probe.getStatus().getDescription()).startsWith("destination_ip:");
    assertThat(touched).as("commands or OVSDB reads started for invalid input").isEmpty();
  }

  @Test
  void handlersGetTheCallersDeadlineAsBudget() throws Exception {
    List<Duration> seen = new CopyOnWriteArrayList<>();
    AgentServiceBlockingStub stub =
        start(
            RECORDING_DB,
            (spec, budget) -> {
              seen.add(budget);
              return RESULT;
            },
            4);
    stub.withDeadlineAfter(1500, TimeUnit.MILLISECONDS).traceNode(VALID);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).isLessThan(Duration.ofMillis(1500)).isPositive();
  }

  /**
   * Work that uses its whole budget ends with the AGENT's DEADLINE_EXCEEDED, naming what was slow:
   * the budget keeps a reserve before the caller's deadline, so the answer is not replaced by the
   * caller's own bare "deadline exceeded after ...".
   */
  @Test
  void slowWorkEndsWithTheAgentsOwnDeadlineExceeded() throws Exception {
    AgentServiceBlockingStub stub =
        start(
            RECORDING_DB,
            (spec, budget) -> {
              try {
                Thread.sleep(budget.toMillis());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              // what NodeTracer does when its budget is spent
              throw new DeadlineExceededException("the trace's deadline passed");
            },
            4);
    StatusRuntimeException e =
        fails(() -> stub.withDeadlineAfter(4, TimeUnit.SECONDS).traceNode(VALID));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.getStatus().getDescription())
        .as("the agent's answer, not the caller's own deadline")
        .contains("the trace's deadline passed");
  }

  @Test
  void callsBeyondTheCapAreResourceExhausted() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AgentServiceBlockingStub stub =
        start(
            RECORDING_DB,
            (spec, budget) -> {
              entered.countDown();
              try {
                release.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return RESULT;
            },
            1);
    Thread first = new Thread(() -> stub.traceNode(VALID));
    first.start();
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
    StatusRuntimeException e = fails(() -> stub.traceNode(VALID));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).contains("1 calls already in flight");
    release.countDown();
    first.join(5000);
    assertThat(stub.traceNode(VALID).getNode()).as("the slot is free again").isEqualTo("node1");
  }
}
