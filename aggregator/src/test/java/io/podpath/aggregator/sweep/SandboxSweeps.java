package io.podpath.aggregator.sweep;

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
import io.podpath.proto.v1.SweepResult;
import io.podpath.testkit.Node;
import io.podpath.testkit.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Real agents per sandbox node (in this JVM) and the aggregator's sweep over them, no alerting. */
final class SandboxSweeps implements AutoCloseable {
  final List<AgentRuntime> agents = new ArrayList<>();
  final GrpcAgentClient client;
  final SweepService sweeps;

  SandboxSweeps(Sandbox s) throws Exception {
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

  @Override
  public void close() {
    sweeps.close();
    client.close();
    agents.forEach(AgentRuntime::close);
  }
}
