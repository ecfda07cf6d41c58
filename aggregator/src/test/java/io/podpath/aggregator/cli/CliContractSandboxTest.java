package io.podpath.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's contract on the REAL 3-node sandbox (shared with the other default-sandbox tests):
 * every command and subcommand against a live aggregator (this JVM's, talking mTLS to the sandbox's
 * agents) and against a stopped one, with the README's exit-code table, errors that name the
 * problem and the next step, and no stack trace or gRPC code name without -v.
 */
@ExtendWith(SandboxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliContractSandboxTest {
  static Sandbox sandbox;
  static SandboxAggregator aggregator;
  static String address;

  @BeforeAll
  static void start(Sandbox s) {
    sandbox = s;
    aggregator = SandboxAggregator.start(s);
    address = aggregator.address();
  }

  @AfterAll
  static void stop() {
    if (aggregator != null) {
      aggregator.close();
    }
  }

  static CliContractTest.Run at(String... args) {
    List<String> all = new ArrayList<>(List.of("--aggregator", address));
    all.addAll(List.of(args));
    return CliContractTest.run(all.toArray(String[]::new)).clean();
  }

  static String lastLine(String s) {
    return s.strip().lines().reduce((a, b) -> b).orElse("");
  }

  @Test
  @Order(1)
  void statusBeforeAFullSweepIsNotReadyAndANarrowedSweepDoesNotCountAsOne() {
    CliContractTest.Run before = at("status");
    assertThat(before.exit()).as(before.err()).isEqualTo(ExitCodes.NOT_READY);
    assertThat(before.err()).contains("sweep");
    CliContractTest.Run narrowed = at("sweep", "--node", "node1", "--check", "ip-forward");
    assertThat(narrowed.exit()).as(narrowed.out() + narrowed.err()).isEqualTo(ExitCodes.OK);
    assertThat(at("status").exit()).isEqualTo(ExitCodes.NOT_READY);
    CliContractTest.Run full = at("sweep");
    assertThat(full.exit()).as(full.out()).isEqualTo(ExitCodes.OK);
    assertThat(full.out()).contains("node1").contains("node2").contains("node3");
    CliContractTest.Run after = at("status", "-o", "json");
    assertThat(after.exit()).as(after.out()).isEqualTo(ExitCodes.OK);
    assertThat(after.out()).contains("node3");
  }

  @Test
  void tracesToEveryKindOfDestinationExitAsTheirLastLineSays() {
    for (String[] t :
        List.of(
            new String[] {"default/client-1", "default/web-2", "--dst-port", "80"},
            new String[] {"default/client-1", "svc/default/web", "--dst-port", "80"},
            new String[] {"default/client-1", "ip:" + sandbox.nodeIp("node2"), "--icmp"},
            new String[] {"default/client-1", "node/node2", "--icmp"})) {
      List<String> args = new ArrayList<>(List.of("trace"));
      args.addAll(List.of(t));
      CliContractTest.Run r = at(args.toArray(String[]::new));
      String outcome = lastLine(r.out());
      assertThat(r.exit()).as(String.join(" ", t) + ":\n" + r.out() + r.err()).isIn(0, 1);
      assertThat(outcome)
          .as(String.join(" ", t))
          .isEqualTo(
              r.exit() == 0
                  ? (outcome.startsWith("every forward packet delivered")
                      ? "every forward packet delivered"
                      : "every forward packet reached its destination (routed out of the cluster)")
                  : "not every forward packet reached its destination");
    }
    CliContractTest.Run pod = at("trace", "default/client-1", "default/web-2", "--dst-port", "80");
    assertThat(pod.exit()).as(pod.out()).isEqualTo(ExitCodes.OK);
    CliContractTest.Run svc =
        at("trace", "default/client-1", "svc/default/web", "--dst-port", "80", "-o", "svg");
    assertThat(svc.exit()).isEqualTo(ExitCodes.OK);
    assertThat(svc.out()).startsWith("<svg").contains("web-3");
  }

  @Test
  void inspectExitsByItsFindings() {
    CliContractTest.Run r = at("inspect", "default/client-1");
    assertThat(r.exit()).as(r.out()).isEqualTo(r.out().contains("ERROR") ? 1 : 0);
    assertThat(r.out()).contains("client-1");
    CliContractTest.Run v = at("inspect", "default/client-1", "-v");
    assertThat(v.out().length()).isGreaterThanOrEqualTo(r.out().length());
  }

  @Test
  void namesThatDoNotExistExit4WithADidYouMeanAndTheNextStep() {
    CliContractTest.Run pod = at("trace", "default/clinet-1", "default/web-2", "--dst-port", "80");
    assertThat(pod.exit()).as(pod.err()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(pod.err()).contains("did you mean default/client-1?").contains("kubectl get");
    CliContractTest.Run svc =
        at("trace", "default/client-1", "svc/default/wbe", "--dst-port", "80");
    assertThat(svc.exit()).as(svc.err()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(svc.err()).contains("did you mean svc/default/web?");
    CliContractTest.Run podForSvc =
        at("trace", "default/client-1", "default/web", "--dst-port", "80");
    assertThat(podForSvc.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(podForSvc.err()).contains("did you mean svc/default/web?");
    CliContractTest.Run inspect = at("inspect", "default/web-22");
    assertThat(inspect.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(inspect.err()).contains("did you mean default/web-2?");
    CliContractTest.Run node = at("sweep", "--node", "node9");
    assertThat(node.exit()).as(node.err()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(node.err()).contains("node9");
  }

  @Test
  void namespacesDefaultToDashNThenTheKubeconfigs(@TempDir Path tmp) throws Exception {
    Path kubeconfig = tmp.resolve("config");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "https://127.0.0.1:1"}
        users:
        - name: u
          user: {token: x}
        contexts:
        - name: ctx
          context: {cluster: c, user: u, namespace: default}
        current-context: ctx
        """);
    CliContractTest.Run fromKubeconfig =
        at("--kubeconfig", kubeconfig.toString(), "trace", "client-1", "web-2", "--dst-port", "80");
    assertThat(fromKubeconfig.exit()).as(fromKubeconfig.err()).isEqualTo(ExitCodes.OK);
    CliContractTest.Run svc =
        at("-n", "default", "trace", "client-1", "svc/web", "--dst-port", "80");
    assertThat(svc.exit()).as(svc.err()).isEqualTo(ExitCodes.OK);
    assertThat(svc.out()).contains("web-1").contains("web-3");
    CliContractTest.Run other = at("-n", "other", "inspect", "client-1");
    assertThat(other.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(other.err()).contains("other/client-1");
  }

  @Test
  void usageErrorsExit2WithOneHintLine() {
    for (String[] bad :
        List.of(
            new String[] {"trace", "default/client-1"},
            new String[] {"trace", "default/client-1", "default/web-2", "--dst-port", "99999"},
            new String[] {"trace", "default/client-1", "default/web-2", "--tcp"},
            new String[] {"trace", "default/client-1", "default/web-2", "--bogus"},
            new String[] {"inspect", "svc/default/web"},
            new String[] {"inspect", "default/client-1", "-o", "dot"},
            new String[] {"sweep", "--frobnicate"},
            new String[] {"status", "-o", "xml"},
            new String[] {"completion", "tcsh"},
            new String[] {"trcae"})) {
      CliContractTest.Run r = at(bad);
      assertThat(r.exit()).as(String.join(" ", bad) + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).as(String.join(" ", bad)).contains("--help");
      assertThat(r.err().lines().count()).as(r.err()).isLessThanOrEqualTo(3);
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void helpVersionAndCompletionExit0() {
    for (String[] ok :
        List.of(
            new String[] {"--help"},
            new String[] {"--version"},
            new String[] {"trace", "--help"},
            new String[] {"inspect", "--help"},
            new String[] {"sweep", "--help"},
            new String[] {"status", "--help"},
            new String[] {"serve", "--help"},
            new String[] {"completion", "bash"},
            new String[] {"completion", "zsh"},
            new String[] {"completion", "fish"})) {
      CliContractTest.Run r = CliContractTest.run(ok).clean();
      assertThat(r.exit()).as(String.join(" ", ok)).isZero();
      assertThat(r.out()).as(String.join(" ", ok)).isNotBlank();
    }
  }

  @Test
  void aStoppedAggregatorIsExit3ForEveryCommandWithTheNextStep() throws Exception {
    String stopped = "127.0.0.1:" + CliContractTest.freePort();
    for (String[] cmd :
        List.of(
            new String[] {"trace", "default/client-1", "default/web-2", "--dst-port", "80"},
            new String[] {"trace", "default/client-1", "svc/default/web", "--dst-port", "80"},
            new String[] {"trace", "default/client-1", "ip:" + sandbox.nodeIp("node2"), "--icmp"},
            new String[] {"trace", "default/client-1", "node/node2", "--icmp"},
            new String[] {"inspect", "default/client-1"},
            new String[] {"sweep"},
            new String[] {"sweep", "--node", "node1"},
            new String[] {"status"})) {
      List<String> args = new ArrayList<>(List.of("--aggregator", stopped));
      args.addAll(List.of(cmd));
      CliContractTest.Run r = CliContractTest.run(args.toArray(String[]::new)).clean();
      assertThat(r.exit()).as(String.join(" ", cmd) + ": " + r.err()).isEqualTo(3);
      assertThat(r.err()).contains("cannot connect to the aggregator at " + stopped);
      assertThat(r.err()).contains("podpath serve");
      args.add("-v");
      assertThat(CliContractTest.run(args.toArray(String[]::new)).err()).contains("\tat ");
    }
  }
}
