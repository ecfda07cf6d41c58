package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.agent.AgentContext;
import io.podpath.agent.exec.CancellationTest;
import io.podpath.agent.exec.ProcessCommandRunner;
import io.podpath.agent.grpc.AgentGrpcService;
import io.podpath.agent.ip.IpTool;
import io.podpath.agent.netns.NetnsExecutor;
import io.podpath.agent.node.NodeInspector;
import io.podpath.agent.pod.PodLocator;
import io.podpath.agent.unixctl.ProtocolUnixctl;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.ClusterContext;
import io.podpath.proto.v1.LocalPod;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.RunChecksRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * #22 "requests that outlive their caller", in the agent: the real AgentGrpcService with one call
 * slot, the real process runner and netns executor. A RunChecks whose deadline passes, or whose
 * caller cancels, frees the slot at once (the next call is served, not RESOURCE_EXHAUSTED) and
 * leaves no child process behind.
 */
class CallCancellationTest {
  /** A check whose tool hangs: a shell with a background child, both sleeping. */
  static final class HangingTool implements Check {
    final String seconds;

    HangingTool(String seconds) {
      this.seconds = seconds;
    }

    @Override
    public String id() {
      return "hanging-tool";
    }

    @Override
    public CheckResult run(CheckContext ctx) {
      Findings f = new Findings(id());
      try {
        ctx.host().run(List.of("sh", "-c", "sleep " + seconds + " & sleep " + seconds + "; wait"));
        return f.result("tool finished");
      } catch (AccessException e) {
        return f.unknown(e.getMessage());
      }
    }
  }

  /** A check that answers at once: the probe that the slot is free. */
  static final class Quick implements Check {
    @Override
    public String id() {
      return "quick";
    }

    @Override
    public CheckResult run(CheckContext ctx) {
      return new Findings(id()).result("ok");
    }
  }

  private final String seconds = "7" + (System.nanoTime() % 100000) + ".25";
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private NetnsExecutor netns;
  private ProcessCommandRunner runner;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    netns = new NetnsExecutor(2);
    runner = new ProcessCommandRunner(netns, 4);
    Path noSocket = Path.of("/nonexistent/ovs-vswitchd.1.ctl");
    AgentContext ctx =
        AgentContext.builder("node1", Path.of("/nonexistent"))
            .runner(runner)
            .netns(netns)
            .vswitchd(new ProtocolUnixctl(() -> noSocket))
            .ovnController(new ProtocolUnixctl(() -> noSocket))
            .ip(new IpTool(runner))
            .build();
    // every pod "lives" in the test's own namespace: the DNS query really goes out from it
    AgentCheckPorts ports =
        new AgentCheckPorts(ctx, pod -> Optional.of(Path.of("/proc/self/ns/net")));
    CheckService checks =
        new CheckService(
            "node1",
            new Checks(
                List.of(new DnsCheck(), new HangingTool(seconds), new Quick()),
                new SimpleMeterRegistry()),
            ports,
            dst -> {});
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                new AgentGrpcService(
                    new NodeInspector(ctx),
                    new PodLocator(ctx),
                    (s, b) -> {
                      throw new UnsupportedOperationException("this test traces nothing");
                    },
                    checks,
                    1))
            .executor(executor)
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    runner.close();
    netns.close();
    executor.shutdownNow();
  }

  /** DNS toward an address where nothing answers (loopback, no server on port 53). */
  static RunChecksRequest dnsNeverAnswering() {
    return RunChecksRequest.newBuilder()
        .addCheckIds(DnsCheck.ID)
        .setContext(
            ClusterContext.newBuilder()
                .setDnsServiceIp("127.0.0.9")
                .addLocalPods(
                    LocalPod.newBuilder()
                        .setPod(PodRef.newBuilder().setNamespace("default").setName("client-1"))
                        .addIps("10.244.1.3")))
        .build();
  }

  static RunChecksRequest only(String id) {
    return RunChecksRequest.newBuilder().addCheckIds(id).build();
  }

  private AgentServiceGrpc.AgentServiceBlockingStub stub(Duration deadline) {
    return AgentServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The only slot is free within a second of the caller giving up (the cancel reaches the server
   * asynchronously): a call is served, not RESOURCE_EXHAUSTED. Without cancellation the slot stays
   * busy for the work's own timeouts (5 s).
   */
  private void slotIsFreeAtOnce() throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (true) {
      try {
        CheckReport r = stub(Duration.ofSeconds(5)).runChecks(only("quick"));
        assertThat(r.getResultsList()).hasSize(1);
        return;
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        if (System.nanoTime() > end) {
          throw new AssertionError("the slot was still busy a second after the caller left", e);
        }
        Thread.sleep(50);
      }
    }
  }

  /** The call ends by its deadline (the agent answers in time, or DEADLINE_EXCEEDED). */
  private static void endsByItsDeadline(Runnable call, Duration deadline) {
    long t0 = System.nanoTime();
    assertThat(code(call)).isIn(Status.Code.OK, Status.Code.DEADLINE_EXCEEDED);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(deadline.plusMillis(500));
  }

  private static Status.Code code(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
    return Status.Code.OK;
  }

  @Test
  void dnsTowardASilentAddressPastItsDeadlineFreesTheSlotAtOnce() throws Exception {
    // DNS asks 5 times, 1 s each: without cancellation the slot stays busy ~5 s after 1 s
    endsByItsDeadline(
        () -> stub(Duration.ofSeconds(1)).runChecks(dnsNeverAnswering()), Duration.ofSeconds(1));
    slotIsFreeAtOnce();
  }

  @Test
  void aCancelledCallKillsItsToolAndFreesTheSlot() throws Exception {
    Context.CancellableContext caller = Context.current().withCancellation();
    ListenableFuture<CheckReport> unused =
        caller.call(
            () ->
                AgentServiceGrpc.newFutureStub(channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .runChecks(only("hanging-tool")));
    awaitProcess(true);
    caller.cancel(null); // the CLI gives up
    slotIsFreeAtOnce();
    Thread.sleep(200);
    assertThat(CancellationTest.processesWith("sleep " + seconds)).as("children left").isEmpty();
  }

  @Test
  void anExpiredCallKillsItsToolAndFreesTheSlot() throws Exception {
    // the tool's own timeout is 5 s; the call's deadline, 1 s, is what applies
    endsByItsDeadline(
        () -> stub(Duration.ofSeconds(1)).runChecks(only("hanging-tool")), Duration.ofSeconds(1));
    slotIsFreeAtOnce();
    Thread.sleep(200);
    assertThat(CancellationTest.processesWith("sleep " + seconds)).as("children left").isEmpty();
  }

  private void awaitProcess(boolean present) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < end) {
      if (!CancellationTest.processesWith("sleep " + seconds).isEmpty() == present) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the tool never started");
  }
}
