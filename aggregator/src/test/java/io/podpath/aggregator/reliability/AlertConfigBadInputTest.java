package io.podpath.aggregator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.cli.Commands;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code podpath serve} with bad sweep/alerting configuration (and a bad snapshot), run in-process:
 * exit 2 with the flag named, before a server is left running (the call returns; a missed check
 * would block in serve and fail the 30 s bound).
 */
class AlertConfigBadInputTest {
  @TempDir static Path dir;
  static Path snapshot;
  static Path secret;

  record Case(List<String> args, String names) {
    @Override
    public String toString() {
      return String.join(" ", args) + " → names " + names;
    }
  }

  @BeforeAll
  static void files() throws Exception {
    snapshot = dir.resolve("cluster.yaml");
    try (InputStream in =
        AlertConfigBadInputTest.class.getResourceAsStream(
            "/fixtures/inventory/sandbox-cluster.yaml")) {
      Files.copy(in, snapshot, StandardCopyOption.REPLACE_EXISTING);
    }
    secret = dir.resolve("secret");
    Files.writeString(secret, "s3cret");
    Files.writeString(dir.resolve("bad.yaml"), "kind: List\nitems: [{kind: Pod, metadata: 5}]\n");
  }

  static Case c(String names, String... args) {
    return new Case(List.of(args), names);
  }

  static Stream<Case> cases() {
    List<Case> c = new ArrayList<>();
    for (String v : List.of("NaN", "-0.1", "1.5", "abc", "Infinity")) {
      c.add(c("--sweep-jitter", "--sweep-jitter", v));
    }
    for (String v : List.of("0", "-1", "abc")) {
      c.add(c("--sweep-concurrency", "--sweep-concurrency", v));
      c.add(c("--alert-pending-sweeps", "--alert-pending-sweeps", v));
      c.add(c("--alert-queue", "--alert-queue", v));
    }
    for (String v : List.of("-5s", "5x", "abc", "99999999999999999999h", "1d", "")) {
      c.add(c("--sweep-interval", "--sweep-interval", v));
    }
    for (String v : List.of("0", "0ms", "-1s", "x")) {
      c.add(c("--sweep-node-deadline", "--sweep-node-deadline", v));
    }
    for (String v :
        List.of(
            "not a url",
            "ftp://am:9093",
            "alertmanager:9093",
            "http://",
            "file:///etc/passwd",
            "/x")) {
      c.add(c("--alertmanager-url", "--alertmanager-url", v));
    }
    c.add(c("--webhook-url", "--webhook-url", "http://hook.example:8080/x"));
    c.add(
        c("--webhook-url", "--webhook-url", "gopher://hook:70", "--webhook-secret-file", "SECRET"));
    c.add(
        c(
            "--webhook-secret-file",
            "--webhook-url",
            "http://127.0.0.1:9/x",
            "--webhook-secret-file",
            "/nonexistent/podpath-rl/secret"));
    for (String v : List.of("nope", "a/", "/b", "$(id)/dns", "kube-system/dns;reboot", "../x")) {
      c.add(c("--dns-service", "--dns-service", v));
    }
    c.add(c("--alert-state", "--alert-state", "/proc/version/state.json"));
    c.add(c("--alert-state", "--alert-state", "/proc/version"));
    c.add(c("--alert-state", "--alert-state", "/tmp"));
    c.add(c("--alert-state", "--alert-state", "/dev/null/state.json"));
    c.add(c("--snapshot", "--snapshot", "/nonexistent/podpath-rl/cluster.yaml"));
    c.add(c("metadata", "--snapshot", "BAD"));
    c.add(c("--agent", "--agent", "node1"));
    c.add(c("--agent", "--agent", "node1=$(id):9443"));
    c.add(c("--listen", "--listen", "127.0.0.1:70000"));
    c.add(c("--plaintext", "--tls-ca", "/x"));
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void serveRefusesNamingTheFlag(Case c) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--plaintext",
                "--listen",
                "127.0.0.1:0",
                "--http-listen",
                "127.0.0.1:0",
                "--sweep-interval",
                "0"));
    if (!c.args().contains("--snapshot")) {
      args.addAll(List.of("--snapshot", snapshot.toString()));
    }
    for (String a : c.args()) {
      args.add(
          switch (a) {
            case "SECRET" -> secret.toString();
            case "BAD" -> dir.resolve("bad.yaml").toString();
            default -> a;
          });
    }
    CommandLine cl = Commands.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    int exit =
        CompletableFuture.supplyAsync(() -> cl.execute(args.toArray(String[]::new)))
            .get(30, TimeUnit.SECONDS);
    assertThat(exit).as("exit; stderr: " + err).isEqualTo(2);
    assertThat(err.toString()).contains(c.names());
  }
}
