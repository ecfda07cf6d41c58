package io.podpath.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code serve}'s HTTP port: {@code --web=false} keeps /metrics but serves no page; a CLI pointed
 * at it by mistake is told so in words.
 */
// A try-with-resources block keeps a server running for its body without naming it.
@SuppressWarnings("try")
class ServeWebFlagTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static int status(int port, String path) throws Exception {
    return CLIENT
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Starts the aggregator from {@code serve}'s own flags, as the command does. */
  private static ServeWiring serve(int httpPort, String... extra) {
    return serveOn("127.0.0.1", httpPort, extra);
  }

  static ServeWiring serveOn(String httpHost, int httpPort, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--plaintext",
                "--snapshot",
                "src/test/resources/fixtures/inventory/sandbox-cluster.yaml",
                "--agent",
                "node1=127.0.0.1:1",
                "--listen",
                "127.0.0.1:0",
                "--http-listen",
                httpHost + ":" + httpPort,
                "--sweep-interval",
                "0"));
    args.addAll(List.of(extra));
    CommandLine cl = Commands.commandLine();
    ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
    TopCommand top = (TopCommand) parsed.commandSpec().userObject();
    ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
    return ServeWiring.start(serve, top.global);
  }

  @Test
  void webFalseServesNoPageButKeepsMetrics() throws Exception {
    int port = CliContractTest.freePort();
    try (ServeWiring w = serve(port, "--web=false")) {
      assertThat(status(port, "/")).isEqualTo(404);
      assertThat(status(port, "/app.js")).isEqualTo(404);
      assertThat(status(port, "/api/health")).isEqualTo(404);
      assertThat(status(port, "/metrics")).isEqualTo(200);
    }
  }

  @Test
  void theDefaultServesThePage() throws Exception {
    int port = CliContractTest.freePort();
    try (ServeWiring w = serve(port)) {
      assertThat(status(port, "/")).isEqualTo(200);
      assertThat(status(port, "/metrics")).isEqualTo(200);
    }
  }

  @Test
  void theCliPointedAtTheHttpPortIsToldItIsNotTheGrpcPort() throws Exception {
    int port = CliContractTest.freePort();
    try (ServeWiring w = serve(port)) {
      for (String cmd : List.of("status", "sweep")) {
        CliContractTest.Run r =
            CliContractTest.run("--aggregator", "127.0.0.1:" + port, cmd).clean();
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).contains("answers HTTP, not gRPC").contains("--aggregator");
      }
    }
  }

  /** The page's address by hand is loopback 9451, as docs/web.md and docs/standalone.md say. */
  @Test
  void theHttpAddressDefaultsToLoopbackAsTheDocsSay() throws Exception {
    CommandLine serve = Commands.commandLine().getSubcommands().get("serve");
    assertThat(serve).isNotNull();
    String httpListen = serve.getCommandSpec().findOption("--http-listen").defaultValue();
    assertThat(httpListen).isEqualTo("127.0.0.1:9451");
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(root.resolve("docs"))) {
      Path up = root.getParent();
      assertThat(up).isNotNull(); // a directory above has docs/
      root = up;
    }
    assertThat(Files.readString(root.resolve("docs/web.md")))
        .contains("`" + httpListen + "` (its `--http-listen` default)");
    assertThat(Files.readString(root.resolve("docs/standalone.md")))
        .contains("`--http-listen` defaults to `" + httpListen + "`");
  }

  /**
   * Bound to every address (as the chart does, for Prometheus): a connection to a non-loopback
   * address of this machine gets /metrics but not the page or its API, even with a loopback Host.
   */
  @Test
  void onANonLoopbackAddressOnlyMetricsAnswer() throws Exception {
    InetAddress external =
        Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
            .flatMap(NetworkInterface::inetAddresses)
            .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
            .findFirst()
            .orElseThrow(() -> new AssertionError("this machine has no non-loopback IPv4 address"));
    int port = CliContractTest.freePort();
    try (ServeWiring w = serveOn("0.0.0.0", port)) {
      for (String host : List.of("localhost:" + port, external.getHostAddress() + ":" + port)) {
        assertThat(rawStatus(external, port, "/", host)).as("/ Host " + host).isEqualTo(403);
        assertThat(rawStatus(external, port, "/api/health", host)).isEqualTo(403);
        assertThat(rawStatus(external, port, "/metrics", host)).isEqualTo(200);
      }
      assertThat(status(port, "/")).as("loopback still gets the page").isEqualTo(200);
    }
  }

  /** A hand-written request: HttpClient will not send a Host other than the URI's. */
  private static int rawStatus(InetAddress to, int port, String path, String host)
      throws Exception {
    try (Socket s = new Socket(to, port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String statusLine =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      return Integer.parseInt(statusLine.split(" ")[1]);
    }
  }
}
