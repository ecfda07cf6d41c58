package io.podpath.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.api.AggregatorGrpcService;
import io.podpath.aggregator.api.AggregatorServer;
import io.podpath.aggregator.trace.FakeAgents;
import io.podpath.aggregator.trace.TracePlannerTest;
import io.podpath.proto.grpc.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The CLI's contract with its user: one exit-code table for every command, errors that name the
 * problem and the next step, and neither Java stack traces nor gRPC code names without -v.
 */
class CliContractTest {
  /** What must never reach a user who did not ask for -v. */
  static final Pattern INTERNALS =
      Pattern.compile(
          "\\tat |Exception|UNAVAILABLE|INVALID_ARGUMENT|NOT_FOUND|DEADLINE_EXCEEDED"
              + "|FAILED_PRECONDITION|INTERNAL|Operation: \\[");

  static AggregatorServer server;
  static String address;
  static FakeAgents agents;

  @BeforeAll
  static void start() throws Exception {
    var inventory = TracePlannerTest.inventory();
    agents = FakeAgents.cluster(inventory);
    server =
        new AggregatorServer(
                new HostPort("127.0.0.1", 0),
                List.of(new AggregatorGrpcService(inventory, agents, new SimpleMeterRegistry())))
            .start();
    address = "127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Run(int exit, String out, String err) {
    Run clean() {
      assertThat(err).as("stderr shows no internals").doesNotContainPattern(INTERNALS);
      // Results on stdout (sweep rows, a trace's reasons) carry agents' errors too.
      assertThat(out).as("stdout shows no internals").doesNotContainPattern(INTERNALS);
      return this;
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Commands.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Run at(String... args) {
    List<String> all = new ArrayList<>(List.of("--aggregator", address));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void everyCommandAgainstAStoppedAggregatorExits3SayingWhatToDo() throws Exception {
    String stopped = "127.0.0.1:" + freePort();
    for (String[] cmd :
        List.of(
            new String[] {"trace", "default/client-1", "default/web-2", "--dst-port", "80"},
            new String[] {"inspect", "default/client-1"},
            new String[] {"sweep"},
            new String[] {"status"})) {
      List<String> args = new ArrayList<>(List.of("--aggregator", stopped));
      args.addAll(List.of(cmd));
      Run r = run(args.toArray(String[]::new)).clean();
      assertThat(r.exit()).as(cmd[0] + ": " + r.err()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(r.err())
          .as(cmd[0])
          .contains("cannot connect to the aggregator at " + stopped)
          .contains("podpath serve");
      // With -v the cause is there for a bug report.
      args.add("-v");
      Run v = run(args.toArray(String[]::new));
      assertThat(v.err()).as(cmd[0] + " -v").contains("\tat ");
    }
  }

  @Test
  void anAgentThatCannotBeAskedDuringATraceExits3AndARefusingOneExits1() throws Exception {
    var inventory = TracePlannerTest.inventory();
    for (AgentException.Kind kind :
        List.of(
            AgentException.Kind.UNREACHABLE,
            AgentException.Kind.TIMEOUT,
            AgentException.Kind.NO_AGENT,
            AgentException.Kind.REJECTED)) {
      FakeAgents broken = FakeAgents.cluster(inventory);
      broken.on(
          "node2",
          r -> {
            throw new AgentException(kind, "node2", "connection refused");
          });
      AggregatorServer s =
          new AggregatorServer(
                  new HostPort("127.0.0.1", 0),
                  List.of(new AggregatorGrpcService(inventory, broken, new SimpleMeterRegistry())))
              .start();
      try {
        Run r =
            run(
                    "--aggregator",
                    "127.0.0.1:" + s.port(),
                    "trace",
                    "default/client-1",
                    "default/web-2",
                    "--udp",
                    "--dst-port",
                    "53")
                .clean();
        assertThat(r.exit())
            .as(kind + ": " + r.out())
            .isEqualTo(
                kind == AgentException.Kind.REJECTED ? ExitCodes.PROBLEM : ExitCodes.UNREACHABLE);
        assertThat(r.out()).as(kind.name()).contains("INCONCLUSIVE").contains("node2");
      } finally {
        s.close();
      }
    }
  }

  @Test
  void anUnknownAggregatorHostIsToldInWords() {
    Run r = run("--aggregator", "no-such-host.invalid:7519", "status").clean();
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err())
        .contains("cannot resolve the aggregator's host name (no-such-host.invalid:7519)")
        .contains("Check --aggregator");
  }

  @Test
  void unknownPodExits4WithADidYouMean() {
    Run r = at("trace", "default/clinet-1", "default/web-2", "--dst-port", "80").clean();
    assertThat(r.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).contains("did you mean default/client-1?").contains("kubectl get");
    Run i = at("inspect", "default/web-22").clean();
    assertThat(i.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(i.err()).contains("did you mean default/web-2?");
  }

  @Test
  void aPodNamedWhereAServiceWasMeantGetsAHint() {
    Run r = at("trace", "default/client-1", "default/web", "--dst-port", "80").clean();
    assertThat(r.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).contains("did you mean svc/default/web?");
  }

  @Test
  void namesWithoutANamespaceUseDashN() {
    // svc/web is the Service web in -n's namespace, not pod "web" in namespace "svc".
    Run svc = at("-n", "default", "trace", "client-1", "svc/web", "--dst-port", "80");
    assertThat(svc.exit()).as(svc.err()).isIn(ExitCodes.OK, ExitCodes.PROBLEM);
    assertThat(svc.out()).contains("default/client-1").contains("web");
    Run elsewhere = at("-n", "other", "trace", "client-1", "default/web-2", "--dst-port", "80");
    assertThat(elsewhere.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(elsewhere.err()).contains("source pod other/client-1 not found");
  }

  @Test
  void requestErrorsNameTheFlagNotTheProtoField() {
    Run r = at("trace", "default/client-1", "default/web-2", "--tcp").clean();
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--dst-port").doesNotContain("dst_port");
  }

  @Test
  void usageErrorsPrintOneHintLineNotTheWholeUsage() {
    Run r = at("trace", "default/client-1").clean();
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().lines().count()).isEqualTo(2);
    assertThat(r.err()).contains("DST").contains("See 'podpath trace --help' for usage.");
    Run typo = run("trcae").clean();
    assertThat(typo.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(typo.err()).contains("trace");
  }

  @Test
  void noKubeconfigIsToldInWords() {
    Run r = run("--kubeconfig", "/nonexistent/kubeconfig", "inspect", "default/client-1").clean();
    assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err()).contains("cannot read kubeconfig").contains("--aggregator HOST:PORT");
  }

  @Test
  void versionIsTheMavenBuildsAndCompletionKnowsTheShells() {
    Run v = run("--version");
    assertThat(v.exit()).isZero();
    assertThat(v.out().strip()).matches("podpath \\d+\\.\\d+\\.\\d+.*").doesNotContain("dev");
    Run zsh = run("completion", "zsh");
    assertThat(zsh.out()).startsWith("#compdef podpath").contains("ZSH_VERSION");
    Run fish = run("completion", "fish");
    assertThat(fish.out())
        .contains("complete -c podpath -n __fish_use_subcommand -a trace")
        .contains("-l dst-port")
        .doesNotContain("ZSH_VERSION");
    assertThat(run("completion", "tcsh").exit()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void inspectAndSweepHelpDoNotOfferDot() {
    for (String cmd : List.of("inspect", "sweep", "status")) {
      assertThat(run(cmd, "--help").out()).as(cmd).doesNotContain("dot");
    }
    assertThat(run("trace", "--help").out()).contains("dot");
  }
}
