package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.aggregator.cli.Commands;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Probe;
import io.podpath.testkit.ProbeResult;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code podpath trace --sctp --live} on a kernel without SCTP: the agent sends ONE INIT through a
 * raw socket in the source pod's netns, every node's capture sees it and the INIT-ACK of the pod's
 * responder, and the raw socket is closed afterwards. {@code hack/sandbox probe --sctp} on the same
 * endpoints gives the same answer.
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SandboxConfig(nodes = 2)
class LiveSctpSandboxTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Sandbox sb;
  private SandboxAggregator aggregator;

  @BeforeAll
  void start(Sandbox sandbox) {
    sb = sandbox;
    aggregator = SandboxAggregator.start(sandbox);
  }

  @AfterAll
  void stop() {
    if (aggregator != null) {
      aggregator.close();
    }
  }

  private record Run(int exit, JsonNode live, String text) {}

  private Run live(String src, String dst, int port) throws IOException {
    List<String> args =
        List.of(
            "--aggregator",
            aggregator.address(),
            "trace",
            src,
            dst,
            "--sctp",
            "--dst-port",
            Integer.toString(port),
            "--live",
            "--live-timeout",
            "1s",
            "-o",
            "json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Commands.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args.toArray(String[]::new));
    assertThat(out.toString()).as("stderr: %s", err).isNotBlank();
    return new Run(exit, JSON.readTree(out.toString()).path("live"), out + "\n" + err);
  }

  @Test
  void anInitAcrossTheTunnelIsSeenAtEveryHopAndAnswered() throws Exception {
    Run r = live("default/client-1", "default/web-2", 80);
    assertThat(r.exit()).as(r.text()).isZero();
    assertThat(r.live().path("outcome").asText()).as(r.text()).isEqualTo("REPLIED");
    assertThat(r.live().path("disagrees").asBoolean()).as(r.text()).isFalse();
    JsonNode pts = r.live().path("points");
    assertThat(pts.size()).as(r.text()).isEqualTo(6);
    for (JsonNode p : pts) {
      assertThat(p.path("seen").asBoolean()).as("%s: %s", p, r.text()).isTrue();
    }
    assertThat(r.live().path("sendDetail").asText())
        .as(r.text())
        .contains("SCTP INIT to " + sb.pod("default/web-2").ip() + ":80")
        .contains("INIT-ACK from " + sb.pod("default/web-2").ip());
    ProbeResult real = sb.probe("default/client-1", "default/web-2", Probe.sctp(80));
    assertThat(real.delivered()).as(real.reason()).isTrue();
  }

  /**
   * No listener: the real stack answers ABORT, which is no INIT-ACK, so the exchange is not REPLIED
   * (the model, which knows no listeners, says DELIVERED: exit 6), as the probe fails.
   */
  @Test
  void anAbortIsNoAnswerThatWorks() throws Exception {
    Run r = live("default/client-1", "default/web-2", 81);
    assertThat(r.live().path("outcome").asText()).as(r.text()).isEqualTo("DELIVERED");
    assertThat(r.live().path("sendDetail").asText()).as(r.text()).contains("refused, ABORT from");
    ProbeResult real = sb.probe("default/client-1", "default/web-2", Probe.sctp(81));
    assertThat(real.delivered()).isFalse();
    assertThat(real.reason()).contains("ABORT");
  }

  /** The agent's raw socket lived in the source pod's netns: none of that netns's is left. */
  @Test
  void theRawSocketIsClosedAfterTheLiveTrace() throws Exception {
    Run r = live("default/client-1", "default/web-1", 80);
    assertThat(r.live().path("outcome").asText()).as(r.text()).isEqualTo("REPLIED");
    Path pods = sb.stateDir().resolve("pods");
    String responder = Files.readString(pods.resolve("client-1/responder.pid")).strip();
    // /proc/PID/net/raw is the table of PID's netns: client-1's (the responder's own is in it)
    Set<String> raw = new HashSet<>();
    List<String> lines = Files.readAllLines(Path.of("/proc", responder, "net", "raw"));
    for (String line : lines.subList(1, lines.size())) {
      String[] cols = line.trim().split("\\s+");
      raw.add("socket:[" + cols[9] + "]");
    }
    assertThat(raw).as("client-1's raw sockets: the responder's at least").isNotEmpty();
    String agent = Files.readString(sb.stateDir().resolve("apps/agent-node1.pid")).strip();
    List<String> held = new ArrayList<>();
    try (var fds = Files.list(Path.of("/proc", agent, "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          if (raw.contains(Files.readSymbolicLink(fd).toString())) {
            held.add(fd.toString());
          }
        } catch (IOException gone) {
          // the fd closed while listing
        }
      }
    }
    assertThat(held).as("raw sockets in client-1's netns held by node1's agent").isEmpty();
  }
}
