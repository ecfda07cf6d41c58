package io.podpath.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.aggregator.agents.AgentCredentials;
import io.podpath.aggregator.agents.GrpcAgentClient;
import io.podpath.aggregator.agents.StaticAgentDirectory;
import io.podpath.aggregator.api.AggregatorGrpcService;
import io.podpath.aggregator.api.AggregatorServer;
import io.podpath.aggregator.sweep.ClusterContexts;
import io.podpath.aggregator.sweep.SweepMetrics;
import io.podpath.aggregator.sweep.SweepRunner;
import io.podpath.aggregator.sweep.SweepService;
import io.podpath.aggregator.trace.TracePlannerTest;
import io.podpath.proto.grpc.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A running aggregator whose agents are all down (nothing listens on their ports), with the real
 * gRPC agent client: what the failed agent calls look like on STDOUT (sweep rows, status, a trace's
 * verdict). Words and a next step; never a gRPC code name such as UNAVAILABLE, which the client
 * used to print ("RunChecks: UNAVAILABLE io exception").
 */
class CliStoppedAgentsTest {
  static GrpcAgentClient agents;
  static SweepService sweeps;
  static AggregatorServer server;
  static String address;

  @BeforeAll
  static void start() throws Exception {
    var inventory = TracePlannerTest.inventory();
    var registry = new SimpleMeterRegistry();
    List<String> down = new ArrayList<>();
    for (String node : List.of("node1", "node2", "node3")) {
      down.add(node + "=127.0.0.1:" + CliContractTest.freePort());
    }
    agents =
        new GrpcAgentClient(
            StaticAgentDirectory.parse(down),
            AgentCredentials.plaintext(),
            Duration.ofSeconds(10),
            registry);
    sweeps =
        new SweepService(
            new SweepRunner(
                inventory,
                agents,
                new ClusterContexts(ClusterContexts.DEFAULT_DNS_SERVICES),
                4,
                Duration.ofSeconds(10)),
            Optional.empty(),
            new SweepMetrics(registry));
    server =
        new AggregatorServer(
                new HostPort("127.0.0.1", 0),
                List.of(new AggregatorGrpcService(inventory, agents, registry, sweeps)))
            .start();
    address = "127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
    sweeps.close();
    agents.close();
  }

  private static CliContractTest.Run at(String... args) {
    List<String> all = new ArrayList<>(List.of("--aggregator", address));
    all.addAll(List.of(args));
    return CliContractTest.run(all.toArray(String[]::new));
  }

  private static void inWords(String what, CliContractTest.Run r) {
    assertThat(r.out())
        .as(what + " stdout (stderr: " + r.err() + ")")
        .doesNotContainPattern(CliContractTest.INTERNALS)
        .doesNotContain("io exception");
    r.clean();
  }

  @Test
  void sweepAndStatusSayTheAgentCannotBeReachedAndWhatToCheck() {
    CliContractTest.Run sweep = at("sweep");
    inWords("sweep", sweep);
    assertThat(sweep.out())
        .as(sweep.out())
        .contains("agent on node2")
        .contains("RunChecks: cannot be reached (connection refused)")
        .contains("check that the podpath agent pod on node2 is running and that port");
    assertThat(sweep.exit()).as(sweep.out()).isNotZero();

    CliContractTest.Run status = at("status");
    inWords("status", status);
    assertThat(status.out()).contains("cannot be reached (connection refused)");
  }

  @Test
  void aTraceSaysWhichAgentCannotBeReachedInWords() {
    CliContractTest.Run trace =
        at("trace", "default/client-1", "default/web-2", "--udp", "--dst-port", "53");
    inWords("trace", trace);
    assertThat(trace.exit()).as(trace.out()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(trace.out())
        .as(trace.out())
        .contains("INCONCLUSIVE")
        .contains("cannot be reached (connection refused)");
  }
}
