package io.podpath.aggregator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.aggregator.api.AggregatorGrpcService;
import io.podpath.aggregator.api.AggregatorServer;
import io.podpath.aggregator.cli.Commands;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.sweep.ClusterContexts;
import io.podpath.aggregator.sweep.SweepMetrics;
import io.podpath.aggregator.sweep.SweepRunner;
import io.podpath.aggregator.sweep.SweepService;
import io.podpath.aggregator.trace.FakeAgents;
import io.podpath.aggregator.trace.TracePlannerTest;
import io.podpath.proto.grpc.HostPort;
import io.podpath.testkit.HostileInput;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Bad command lines, run in-process through the CLI's own picocli CommandLine against a real
 * aggregator on loopback: exit code 2, a message on stderr naming the argument, no agent called,
 * and the same aggregator answering a valid {@code podpath trace} right after.
 */
class CliBadInputTest {
  static AggregatorServer server;
  static RecordingAgents agents;
  static SweepService sweeps;
  static String address;

  /** One row: the arguments after the global ones, and what stderr must name. */
  record Case(List<String> args, String names) {
    @Override
    public String toString() {
      return HostileInput.show(String.join(" ", args)) + " → names " + names;
    }
  }

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    Inventory inventory = TracePlannerTest.inventory();
    agents = new RecordingAgents(FakeAgents.cluster(inventory));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    sweeps =
        new SweepService(
            new SweepRunner(
                inventory,
                agents,
                new ClusterContexts(ClusterContexts.DEFAULT_DNS_SERVICES),
                2,
                Duration.ofSeconds(5)),
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
  }

  static Run run(List<String> args) {
    CommandLine cl = Commands.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("--aggregator", address));
    all.addAll(args);
    int exit = cl.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  static Case c(String names, String... args) {
    return new Case(List.of(args), names);
  }

  static Stream<Case> cases() {
    List<Case> c = new ArrayList<>();
    c.add(c("SRC", "trace"));
    c.add(c("DST", "trace", "default/client-1"));
    c.add(c("Unmatched argument", "trace", "default/client-1", "default/web-1", "extra"));
    c.add(c("--bogus", "trace", "default/client-1", "default/web-1", "--bogus"));
    c.add(c("nope", "nope"));
    for (String bad :
        List.of(
            "$(reboot)/x",
            "a/b/c",
            "../etc/passwd",
            "Default/web",
            "default/web_1",
            "default/-x",
            "ip:10.0.0.256",
            "ip:web.local",
            "ip:$(id)",
            "svc/",
            "svc/$(id)/web",
            "default/" + "x".repeat(254),
            "default/a\nb")) {
      c.add(c("SRC", "trace", bad, "default/web-1"));
      c.add(c("DST", "trace", "default/client-1", bad));
    }
    for (String port : List.of("70000", "65536", "-1", "abc", "80;ls", "0x50", "99999999999")) {
      c.add(c("--dst-port", "trace", "default/client-1", "default/web-1", "--dst-port", port));
      c.add(c("--src-port", "trace", "default/client-1", "default/web-1", "--src-port", port));
    }
    for (String hops : List.of("17", "-1", "x", "1e3")) {
      c.add(c("--max-hops", "trace", "default/client-1", "default/web-1", "--max-hops", hops));
    }
    c.add(
        c(
            "--dst-port",
            "trace",
            "default/client-1",
            "default/web-1",
            "--icmp",
            "--dst-port",
            "80"));
    c.add(c("mutually exclusive", "trace", "default/client-1", "default/web-1", "--tcp", "--udp"));
    c.add(
        c("mutually exclusive", "trace", "default/client-1", "default/web-1", "--icmp", "--sctp"));
    for (String fmt : List.of("xml", "", "json;ls", "JSONX")) {
      c.add(c("--output", "trace", "default/client-1", "default/web-1", "-o", fmt));
    }
    c.add(c("--output", "trace", "default/client-1", "default/web-1", "--output"));
    for (String t : List.of("0", "-5", "abc")) {
      c.add(c("--timeout", "--timeout", t, "trace", "default/client-1", "default/web-1"));
    }
    c.add(
        c(
            "--aggregator",
            "--aggregator",
            "not a host:port",
            "trace",
            "default/client-1",
            "default/web-1"));
    c.add(
        c(
            "--aggregator",
            "--aggregator",
            "127.0.0.1:99999",
            "trace",
            "default/client-1",
            "default/web-1"));
    // inspect
    c.add(c("POD", "inspect"));
    for (String bad :
        List.of(
            "$(reboot)/x",
            "a/b/c",
            "../x",
            "Default/web-1",
            "svc/default/web",
            "ip:10.244.1.3",
            "default/a b")) {
      c.add(c("POD", "inspect", bad));
    }
    c.add(c("dot", "inspect", "default/client-1", "-o", "dot"));
    // sweep
    for (String bad : List.of("$(reboot)", "../node1", "Node1", "-x")) {
      c.add(c("node", "sweep", "--node", bad));
    }
    for (String bad : List.of("nope", "mtu;reboot", "../etc")) {
      c.add(c("check", "sweep", "--check", bad));
    }
    c.add(c("--node", "sweep", "--node"));
    c.add(c("dot", "sweep", "-o", "dot"));
    c.add(c("dot", "status", "-o", "dot"));
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void usageErrorExit2NamingTheArgument(Case c) {
    agents.drain();
    Run r = run(c.args());
    assertThat(r.exit()).as("exit code; stderr: " + r.err()).isEqualTo(2);
    assertThat(r.err()).as("stderr").contains(c.names());
    assertThat(agents.drain()).as("agent calls").isEmpty();
    Run ok =
        run(
            List.of(
                "trace",
                "default/client-1",
                "default/web-1",
                "--dst-port",
                "80",
                "--forward-only"));
    assertThat(ok.exit()).as("valid trace after; stderr: " + ok.err()).isZero();
    assertThat(agents.drain()).isNotEmpty();
  }
}
