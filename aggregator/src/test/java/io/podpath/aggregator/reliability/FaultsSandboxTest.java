package io.podpath.aggregator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.aggregator.alert.Notification;
import io.podpath.aggregator.sweep.SweepRunner;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.InspectRequest;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.SweepRequest;
import io.podpath.proto.v1.SweepResult;
import io.podpath.proto.v1.SweepUpdate;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.testkit.ExecResult;
import io.podpath.testkit.Node;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real faults on a real 3-node OVN sandbox (prefix rl, index 7) with the real agent and aggregator
 * processes that {@code hack/sandbox up} starts: nothing here is mocked. Faults are made by process
 * control through the sandbox's pidfiles and by deleting a pod's network namespace.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(prefix = "rl", index = 7, nodes = 3, apps = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsSandboxTest {
  static Sandbox sandbox;
  static final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeAll
  static void start(Sandbox s) {
    sandbox = s;
    assertThat(s.agentsStarted()).as("agent jar built and agents started by the sandbox").isTrue();
    aggregator = SandboxAggregator.startWithAlerting(s);
  }

  @AfterAll
  static void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    if (aggregator != null) {
      aggregator.close();
    }
  }

  static AgentServiceGrpc.AgentServiceBlockingStub agent(String node) {
    ManagedChannel ch = SandboxAggregator.agentChannel(sandbox, node);
    channels.add(ch);
    return AgentServiceGrpc.newBlockingStub(ch);
  }

  static SandboxAggregator aggregator;

  static AggregatorServiceGrpc.AggregatorServiceBlockingStub aggregator() {
    return aggregator.stub();
  }

  static Pod pod(String ref) {
    return sandbox.pod(ref);
  }

  static TraceNodeRequest clientToWeb(int node) {
    Pod client = pod("default/client-" + node);
    Pod web = pod("default/web-" + node);
    return TraceNodeRequest.newBuilder()
        .setPod(PodRef.newBuilder().setNamespace("default").setName(client.name()))
        .setPacket(
            Packet.newBuilder()
                .setSrcIp(client.ip())
                .setDstIp(web.ip())
                .setProtocol(Protocol.PROTOCOL_TCP)
                .setDstPort(80))
        .build();
  }

  /** (1) ovs-vswitchd killed under a stream of traces, then restarted under the same agent. */
  @Test
  @Order(1)
  void vswitchdKilledIsUnavailableNamingTheSocketAndTheSameAgentRecovers() throws Exception {
    Node n1 = sandbox.node("node1");
    // The agent's own runtime in this JVM, reading node1 through its netns and OVS sockets and
    // serving on loopback: killing vswitchd also takes node1's underlay IP (it lives on br-phy),
    // so the sandbox's agent process could not be reached from here while OVS is down.
    AgentRuntime runtime =
        AgentRuntime.start(
            AgentOptions.loopback(
                "node1", n1.ovsRundir(), Optional.of(Path.of("/var/run/netns", n1.netns())), 8));
    ManagedChannel local =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + runtime.grpcPort(), InsecureChannelCredentials.create())
            .build();
    channels.add(local);
    var stub = AgentServiceGrpc.newBlockingStub(local);
    try {
      vswitchdKilledAndRestarted(n1, stub);
    } finally {
      runtime.close();
    }
  }

  void vswitchdKilledAndRestarted(Node n1, AgentServiceGrpc.AgentServiceBlockingStub stub)
      throws Exception {
    TraceNodeRequest req = clientToWeb(1);
    NodeTrace healthy = stub.withDeadlineAfter(20, TimeUnit.SECONDS).traceNode(req);

    List<Status> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread load =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  stub.withDeadlineAfter(10, TimeUnit.SECONDS).traceNode(req);
                } catch (StatusRuntimeException e) {
                  failures.add(e.getStatus());
                }
              }
            });
    load.start();
    Thread.sleep(300);
    NodeProcesses.kill(n1.ovsRundir().resolve("ovs-vswitchd.pid"));
    Thread.sleep(1500);
    stop.set(true);
    load.join(20_000);

    StatusRuntimeException down =
        Calls.fails(() -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).traceNode(req));
    assertThat(down.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(down.getStatus().getDescription()).contains("ovs-vswitchd").contains("ctl");
    assertThat(failures).as("failures while vswitchd died").isNotEmpty();
    for (Status s : failures) {
      assertThat(s.getCode()).as(s.toString()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(s.getDescription()).as(s.toString()).contains("ovs-vswitchd");
    }

    Path d = n1.ovsRundir().getParent();
    ExecResult started =
        sandbox.exec(
            "node1",
            "env",
            "OVS_RUNDIR=" + d.resolve("run"),
            "OVS_LOGDIR=" + d.resolve("log"),
            "OVS_DBDIR=" + d.resolve("etc"),
            "OVS_SYSCONFDIR=" + d.resolve("etc"),
            "ovs-vswitchd",
            "unix:" + d.resolve("run/db.sock"),
            "--pidfile=" + d.resolve("run/ovs-vswitchd.pid"),
            "--detach",
            "--no-chdir",
            "-vconsole:off",
            "--log-file=" + d.resolve("log/ovs-vswitchd.log"));
    assertThat(started.ok()).as(started.stderr()).isTrue();
    restoreUnderlay(n1);

    // ovn-controller reinstalls the flows; the same agent process answers again.
    Instant until = Instant.now().plus(Duration.ofSeconds(60));
    NodeTrace again = null;
    while (Instant.now().isBefore(until)) {
      try {
        again = stub.withDeadlineAfter(10, TimeUnit.SECONDS).traceNode(req);
        if (again.getOutcome().getKind() == healthy.getOutcome().getKind()) {
          break;
        }
      } catch (StatusRuntimeException e) {
        // still coming back
      }
      Thread.sleep(500);
    }
    assertThat(again).isNotNull();
    assertThat(again.getOutcome().getKind()).isEqualTo(healthy.getOutcome().getKind());
  }

  /**
   * The node IP lived on br-phy's internal port, which died with vswitchd: put it back as
   * hack/lib/sb-net.sh does, then let the node resolve its peers again.
   */
  static void restoreUnderlay(Node n) throws Exception {
    Instant until = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(until)
        && !sandbox.exec(n.name(), "ip", "link", "show", "br-phy").ok()) {
      Thread.sleep(200);
    }
    for (String[] argv :
        List.of(
            new String[] {"ip", "addr", "replace", n.ip() + "/24", "dev", "br-phy"},
            new String[] {"ip", "link", "set", "br-phy", "up"},
            new String[] {"ethtool", "-K", "br-phy", "tx", "off"})) {
      ExecResult r = sandbox.exec(n.name(), argv);
      assertThat(r.ok()).as(String.join(" ", argv) + ": " + r.stderr()).isTrue();
    }
    for (Node peer : sandbox.nodes()) {
      if (!peer.name().equals(n.name())) {
        sandbox.exec(n.name(), "ping", "-c", "1", "-W", "1", peer.ip());
      }
    }
  }

  /** (2) An agent killed during a sweep: it finishes within its deadline, that node UNREACHABLE. */
  @Test
  @Order(2)
  void agentKilledMakesItsNodeUnreachableInTheSweepAndRecovers() throws Exception {
    Path pidfile = sandbox.stateDir().resolve("apps/agent-node2.pid");
    long agentPid = NodeProcesses.pid(pidfile);
    List<String> argv = NodeProcesses.cmdline(agentPid);
    // Freeze the agent so the sweep's call to it is surely in flight, then kill it mid-sweep.
    Process stop = new ProcessBuilder("kill", "-STOP", String.valueOf(agentPid)).start();
    assertThat(stop.waitFor(10, TimeUnit.SECONDS) && stop.exitValue() == 0).isTrue();
    long start = System.nanoTime();
    java.util.concurrent.CompletableFuture<SweepResult> running =
        java.util.concurrent.CompletableFuture.supplyAsync(FaultsSandboxTest::sweep);
    Thread.sleep(1500);
    assertThat(running).as("the sweep waits on the frozen agent").isNotDone();
    NodeProcesses.kill(pidfile);
    SweepResult r = running.get(120, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf("sweep with node2's agent killed during it took %d ms%n", took.toMillis());
    assertThat(took)
        .as("the aggregator's per-node deadline is 30 s")
        .isLessThan(Duration.ofSeconds(40));
    NodeReport node2 = report(r, "node2");
    assertThat(node2.getError()).isNotEmpty().contains("node2");
    assertThat(node2.getChecksList())
        .as("node2's checks in the sweep")
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_UNREACHABLE));
    assertThat(firing("node2")).as("alerts firing for node2").isNotEmpty();
    assertThat(report(r, "node1").getError()).isEmpty();
    assertThat(report(r, "node3").getError()).isEmpty();

    // The agent comes back (same argv, same node netns, same pidfile): the next sweeps see it.
    Process p =
        new ProcessBuilder(withNetns(argv))
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    sandbox.stateDir().resolve("apps/agent-node2.log").toFile()))
            .start();
    Files.writeString(pidfile, p.pid() + "\n");
    Instant until = Instant.now().plus(Duration.ofSeconds(90));
    NodeReport back = node2;
    while (Instant.now().isBefore(until) && !back.getError().isEmpty()) {
      Thread.sleep(2000);
      back = report(sweep(), "node2");
    }
    assertThat(back.getError()).as("node2 after its agent restarted").isEmpty();
    assertThat(firing("node2")).as("node2's alerts resolved").isEmpty();
  }

  /** (5) A pod's network namespace deleted: NOT_FOUND naming the pod, from agent and aggregator. */
  @Test
  @Order(3)
  void podNamespaceDeletedIsNotFoundNamingThePod() throws Exception {
    Pod victim = pod("default/client-3");
    var stub = agent("node3");
    InspectPodRequest inspect =
        InspectPodRequest.newBuilder()
            .setPod(PodRef.newBuilder().setNamespace("default").setName(victim.name()))
            .build();
    assertThat(stub.withDeadlineAfter(20, TimeUnit.SECONDS).inspectPod(inspect).getNetns())
        .isNotEmpty();

    // The namespace lives while a process is in it: stop the sandbox's processes there (found by
    // the netns inode), then delete it, as a runtime does when a pod goes away.
    String inode =
        String.valueOf(Files.getAttribute(Path.of("/var/run/netns", victim.netns()), "unix:ino"));
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          if (Files.readSymbolicLink(p.resolve("ns/net"))
              .toString()
              .equals("net:[" + inode + "]")) {
            ProcessHandle.of(Long.parseLong(p.getFileName().toString()))
                .ifPresent(ProcessHandle::destroyForcibly);
          }
        } catch (java.io.IOException gone) {
          // exited meanwhile
        }
      }
    }
    Process del = new ProcessBuilder("ip", "netns", "del", victim.netns()).inheritIO().start();
    assertThat(del.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(del.exitValue()).isZero();

    // With only the netns gone, OVS still has the port: the agent reports the pod with findings.
    var half = stub.withDeadlineAfter(20, TimeUnit.SECONDS).inspectPod(inspect);
    System.out.println("InspectPod with the netns deleted: " + half.getFindingsList());
    assertThat(half.getFindingsList()).isNotEmpty();
    // The CNI's DEL then removes the OVS port: now the pod is gone from the node.
    ExecResult delPort =
        sandbox.exec(
            "node3",
            "ovs-vsctl",
            "--db=unix:" + sandbox.node("node3").ovsRundir().resolve("db.sock"),
            "--if-exists",
            "del-port",
            victim.hostInterface());
    assertThat(delPort.ok()).as(delPort.stderr()).isTrue();
    StatusRuntimeException gone =
        Calls.fails(() -> stub.withDeadlineAfter(20, TimeUnit.SECONDS).inspectPod(inspect));
    assertThat(gone).as("InspectPod after the netns was deleted").isNotNull();
    assertThat(gone.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(gone.getStatus().getDescription()).contains("default/client-3");

    StatusRuntimeException trace =
        Calls.fails(() -> stub.withDeadlineAfter(20, TimeUnit.SECONDS).traceNode(clientToWeb(3)));
    assertThat(trace.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(trace.getStatus().getDescription()).contains("default/client-3");

    // The aggregator knows the cluster schedules client-3 on node3, so the missing port is the
    // disagreement to show (an ERROR finding, inspect exits 1), not NOT_FOUND (docs/agent.md).
    var viaAggregator =
        aggregator()
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .inspect(
                InspectRequest.newBuilder()
                    .setPod(PodRef.newBuilder().setNamespace("default").setName("client-3"))
                    .build());
    assertThat(viaAggregator.getFindingsList())
        .anySatisfy(
            f -> {
              assertThat(f.getCode()).isEqualTo("port-missing");
              assertThat(f.getMessage()).contains("default_client-3", "node3");
            });
  }

  static List<String> firing(String node) {
    return aggregator.alerting().engine().firing().stream()
        .filter(n -> n.key().node().equals(node))
        .filter(n -> n.key().check().equals(SweepRunner.AGENT_CHECK))
        .map(Notification::toString)
        .toList();
  }

  static SweepResult sweep() {
    Iterator<SweepUpdate> it =
        aggregator()
            .withDeadlineAfter(120, TimeUnit.SECONDS)
            .sweep(SweepRequest.getDefaultInstance());
    SweepResult result = null;
    while (it.hasNext()) {
      SweepUpdate u = it.next();
      if (u.hasResult()) {
        result = u.getResult();
      }
    }
    assertThat(result).isNotNull();
    return result;
  }

  static NodeReport report(SweepResult r, String node) {
    return r.getNodesList().stream()
        .filter(n -> n.getNode().equals(node))
        .findFirst()
        .orElseThrow();
  }

  /** The agent's argv run inside node2's netns (ip netns exec execs it: same pid). */
  static List<String> withNetns(List<String> argv) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", sandbox.netns("node2")));
    full.addAll(argv);
    return full;
  }
}
