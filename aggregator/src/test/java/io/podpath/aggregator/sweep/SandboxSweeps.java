package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.aggregator.agents.AgentCredentials;
import io.podpath.aggregator.agents.GrpcAgentClient;
import io.podpath.aggregator.agents.StaticAgentDirectory;
import io.podpath.aggregator.api.SweepProtos;
import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.render.SweepRenderer;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.SweepResult;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Node;
import io.podpath.testkit.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowingConsumer;

/** Real agents per sandbox node (in this JVM) and the aggregator's sweep over them, no alerting. */
final class SandboxSweeps implements AutoCloseable {
  /** A fault knob of {@code hack/sandbox break} and the node it is applied to. */
  record Break(Fault fault, String node) {}

  private final Sandbox sandbox;
  final List<AgentRuntime> agents = new ArrayList<>();
  final GrpcAgentClient client;
  final SweepService sweeps;

  SandboxSweeps(Sandbox s) throws Exception {
    sandbox = s;
    List<String> specs = new ArrayList<>();
    for (Node n : s.nodes()) {
      AgentRuntime rt =
          AgentRuntime.start(
              AgentOptions.loopback(
                  n.name(), n.ovsRundir(), Optional.of(Path.of("/var/run/netns", n.netns())), 8));
      agents.add(rt);
      specs.add(n.name() + "=127.0.0.1:" + rt.grpcPort());
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    client =
        new GrpcAgentClient(
            StaticAgentDirectory.parse(specs),
            AgentCredentials.plaintext(),
            Duration.ofSeconds(30),
            registry);
    sweeps =
        new SweepService(
            new SweepRunner(
                SnapshotInventory.load(s.manifest()),
                client,
                new ClusterContexts(List.of(new ObjectRef("default", "web"))),
                2,
                Duration.ofSeconds(30)),
            Optional.empty(),
            new SweepMetrics(registry));
  }

  SweepResult sweep() {
    return SweepProtos.result(sweeps.sweep(List.of(), List.of(), u -> {}));
  }

  /** Sweeps until every check passes (the sandbox settles after a fix), else the last sweep. */
  SweepResult awaitHealthy() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      SweepResult r = sweep();
      if (SweepRenderer.healthy(r) || System.nanoTime() > deadline) {
        return r;
      }
      Thread.sleep(500);
    }
  }

  CheckResult probe(SweepResult r) {
    return SweepSandboxTest.cluster(r, ClusterChecks.MTU_PROBE);
  }

  /**
   * mtu-probe on a healthy cluster with {@code breaks} applied: it FAILs (the sweep is described
   * when not) and {@code expect} checks what it says; the faults are fixed in reverse even when an
   * assertion fails, and then mtu-probe must be OK again.
   */
  void probeFailsUnder(ThrowingConsumer<CheckResult> expect, Break... breaks) throws Exception {
    awaitHealthy();
    int applied = 0;
    try {
      for (Break b : breaks) {
        sandbox.breakFault(b.fault(), b.node());
        applied++;
      }
      SweepResult r = sweep();
      CheckResult p = probe(r);
      assertThat(p.getStatus())
          .as(SweepSandboxTest.describe(r))
          .isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
      expect.accept(p);
    } finally {
      for (int i = applied - 1; i >= 0; i--) {
        sandbox.fix(breaks[i].fault(), breaks[i].node());
      }
    }
    assertThat(probe(awaitHealthy()).getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_OK);
  }

  @Override
  public void close() {
    sweeps.close();
    client.close();
    agents.forEach(AgentRuntime::close);
  }
}
