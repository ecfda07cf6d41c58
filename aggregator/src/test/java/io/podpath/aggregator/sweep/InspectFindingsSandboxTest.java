package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.aggregator.agents.AgentCredentials;
import io.podpath.aggregator.agents.GrpcAgentClient;
import io.podpath.aggregator.agents.StaticAgentDirectory;
import io.podpath.aggregator.api.AggregatorGrpcService;
import io.podpath.aggregator.api.AggregatorServer;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Node;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code podpath inspect} of a pod whose plumbing is really broken on the sandbox (issue 17): each
 * disagreement is a finding and the CLI exits 1 naming it, never NOT_FOUND / exit 2. Real agents
 * per node, the aggregator's gRPC service, the CLI.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false)
class InspectFindingsSandboxTest {
  static Sandbox sandbox;
  static final List<AgentRuntime> agents = new ArrayList<>();
  static GrpcAgentClient client;
  static AggregatorServer server;

  @BeforeAll
  static void start(Sandbox s) throws Exception {
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
    SnapshotInventory inventory = SnapshotInventory.load(s.manifest());
    client =
        new GrpcAgentClient(
            StaticAgentDirectory.parse(specs),
            AgentCredentials.plaintext(),
            Duration.ofSeconds(30),
            registry);
    server =
        new AggregatorServer(
                new io.podpath.proto.grpc.HostPort("127.0.0.1", 0),
                List.of(new AggregatorGrpcService(inventory, client, registry)))
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (client != null) {
      client.close();
    }
    agents.forEach(AgentRuntime::close);
  }

  static SweepSandboxTest.Run inspect(String pod) {
    return SweepSandboxTest.cli("--aggregator", "127.0.0.1:" + server.port(), "inspect", pod);
  }

  /** hack/sandbox's interface faults take the node's last pod (client-I), eth0-down its web-I. */
  static String pod(String node, String prefix) {
    return sandbox.pods().stream()
        .filter(p -> p.node().equals(node) && p.name().startsWith(prefix))
        .map(p -> p.namespace() + "/" + p.name())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void healthyPodHasNoDisagreementAndExitsZero() {
    for (Pod p : sandbox.pods()) {
      SweepSandboxTest.Run r = inspect(p.namespace() + "/" + p.name());
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }
  }

  @Test
  void aPortOffTheBridgeIsAFindingWithExit1NotNotFound() {
    String pod = pod("node2", "client-");
    sandbox.breakFault(Fault.PORT_OFF_BRIDGE, "node2");
    try {
      SweepSandboxTest.Run r = inspect(pod);
      assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
      assertThat(r.out() + r.err())
          .contains("no OVS interface on node node2")
          .contains("iface-id=" + pod.replace('/', '_'))
          .doesNotContain("NOT_FOUND")
          .doesNotContain("no disagreement found");
    } finally {
      sandbox.fix(Fault.PORT_OFF_BRIDGE, "node2");
    }
    assertThat(inspect(pod).exit()).isZero();
  }

  @Test
  void eth0DownWithNoRoutesIsReportedWithExit1() {
    String pod = pod("node2", "web-");
    sandbox.breakFault(Fault.ETH0_DOWN, "node2");
    try {
      SweepSandboxTest.Run r = inspect(pod);
      assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
      assertThat(r.out())
          .contains("eth0 is DOWN")
          .contains("no route")
          .doesNotContain("no disagreement found");
    } finally {
      sandbox.fix(Fault.ETH0_DOWN, "node2");
    }
    assertThat(inspect(pod).exit()).isZero();
  }
}
