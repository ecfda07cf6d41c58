package io.podpath.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.api.TestCerts;
import io.podpath.aggregator.api.TestCerts.Issued;
import io.podpath.aggregator.api.TestCerts.Usage;
import io.podpath.tls.TlsFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code podpath serve} beyond loopback with mTLS, started from its own flags, and the CLI
 * connecting to it directly: served with the right certificate, refused in words otherwise.
 */
class AggregatorMtlsCliTest {
  @TempDir static Path dir;

  private static Issued ca;
  private static TlsFiles server;
  private static ServeWiring wiring;
  private static String target;

  record Run(int exit, String out, String err) {}

  static Run runBare(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Commands.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static ServeWiring serve(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--plaintext",
                "--snapshot",
                "src/test/resources/fixtures/inventory/sandbox-cluster.yaml",
                "--agent",
                "node1=127.0.0.1:1",
                "--http-listen",
                "127.0.0.1:0",
                "--sweep-interval",
                "0"));
    args.addAll(List.of(extra));
    ParseResult parsed = Commands.commandLine().parseArgs(args.toArray(String[]::new));
    TopCommand top = (TopCommand) parsed.commandSpec().userObject();
    ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
    return ServeWiring.start(serve, top.global);
  }

  @BeforeAll
  static void start() throws Exception {
    ca = TestCerts.ca("podpath-cli-ca");
    server =
        TestCerts.write(
            dir.resolve("server"),
            TestCerts.leaf(ca, "podpath-aggregator", Usage.SERVER, "podpath-aggregator"),
            ca);
    wiring =
        serve(
            "--listen",
            "0.0.0.0:0",
            "--cli-tls-cert",
            server.certChain().toString(),
            "--cli-tls-key",
            server.privateKey().toString(),
            "--cli-tls-ca",
            server.trustedCa().toString());
    target = "127.0.0.1:" + wiring.grpcPort();
  }

  @AfterAll
  static void stop() {
    if (wiring != null) {
      wiring.close();
    }
  }

  private static List<String> flags(TlsFiles f, String serverName) {
    return List.of(
        "--client-certificate",
        f.certChain().toString(),
        "--client-key",
        f.privateKey().toString(),
        "--certificate-authority",
        f.trustedCa().toString(),
        "--tls-server-name",
        serverName);
  }

  private static Run status(List<String> tls) {
    List<String> all = new ArrayList<>(List.of("--aggregator", target, "--timeout", "10"));
    all.addAll(tls);
    all.add("status");
    return runBare(all.toArray(String[]::new));
  }

  private static void inWords(Run r) {
    assertThat(r.err())
        .doesNotContain("UNAVAILABLE")
        .doesNotContain("Exception")
        .doesNotContain("io.grpc");
  }

  @Test
  void theRightClientCertificateIsServed() throws Exception {
    TlsFiles alice =
        TestCerts.write(
            dir.resolve("alice"), TestCerts.leaf(ca, "alice", Usage.CLIENT, "alice"), ca);
    Run r = status(flags(alice, "podpath-aggregator"));
    // Served: the aggregator itself answers (no sweep has run yet), not the TLS layer.
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NOT_READY);
    assertThat(r.err()).doesNotContain("certificate").doesNotContain("TLS");
  }

  @Test
  void noClientCertificateIsRefusedNamingTheFlags() {
    Run r = status(List.of());
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err())
        .contains("requires mTLS")
        .contains("--client-certificate")
        .contains("--certificate-authority");
    inWords(r);
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefusedInWords() throws Exception {
    Issued other = TestCerts.ca("another-ca");
    TlsFiles mallory =
        TestCerts.write(
            dir.resolve("mallory"), TestCerts.leaf(other, "mallory", Usage.CLIENT, "mallory"), ca);
    Run r = status(flags(mallory, "podpath-aggregator"));
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err())
        .contains("refused your client certificate")
        .contains("not signed by the CA the aggregator trusts");
    inWords(r);
  }

  @Test
  void theWrongCaForTheServerIsNamed() throws Exception {
    Issued other = TestCerts.ca("another-ca");
    TlsFiles bob =
        TestCerts.write(dir.resolve("bob"), TestCerts.leaf(ca, "bob", Usage.CLIENT, "bob"), other);
    Run r = status(flags(bob, "podpath-aggregator"));
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(r.err())
        .contains("presented a certificate we do not accept")
        .contains("--certificate-authority");
    inWords(r);
  }

  @Test
  void anExpiredClientCertificateIsNamedBeforeDialling() throws Exception {
    Instant now = Instant.now();
    TlsFiles old =
        TestCerts.write(
            dir.resolve("old"),
            TestCerts.leaf(
                ca,
                "old",
                Usage.CLIENT,
                now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)),
                "old"),
            ca);
    Run r = status(flags(old, "podpath-aggregator"));
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("expired").contains(old.certChain().toString());
    inWords(r);
  }

  @Test
  void halfTheClientFlagsIsAUsageError() throws Exception {
    Run r = status(List.of("--client-certificate", server.certChain().toString()));
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--client-key").contains("--certificate-authority");
  }

  @Test
  void serveListensOnLoopbackByDefault() {
    ParseResult parsed = Commands.commandLine().parseArgs("serve", "--plaintext");
    ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(serve.listen).isEqualTo("127.0.0.1:9450");
    assertThat(serve.httpListen).isEqualTo("127.0.0.1:9451");
  }

  @Test
  void serveRefusesPlaintextBeyondLoopbackNamingTheFlags() {
    Run r =
        runBare(
            "serve",
            "--plaintext",
            "--snapshot",
            "src/test/resources/fixtures/inventory/sandbox-cluster.yaml",
            "--listen",
            "0.0.0.0:0",
            "--http-listen",
            "127.0.0.1:0");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("0.0.0.0:0 is not a loopback address")
        .contains("--cli-tls-cert")
        .contains("--cli-tls-ca");
    Run half =
        runBare(
            "serve",
            "--plaintext",
            "--listen",
            "0.0.0.0:0",
            "--cli-tls-cert",
            server.certChain().toString());
    assertThat(half.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(half.err()).contains("--cli-tls-key").contains("--cli-tls-ca");
  }
}
