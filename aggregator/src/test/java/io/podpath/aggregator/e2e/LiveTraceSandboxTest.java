package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.aggregator.cli.Commands;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code podpath trace --live} against the real datapath: one marked packet, observed by the real
 * agents' captures on every node, set beside the model. Each test fails on any disagreement it does
 * not expect, and checks the live verdict against {@code hack/sandbox probe} on the same endpoints.
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SandboxConfig(nodes = 2)
class LiveTraceSandboxTest {
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

  private record Run(int exit, JsonNode json, String text) {
    JsonNode live() {
      return json.path("live");
    }
  }

  private Run live(String src, String dst, String... opts) throws Exception {
    Raw raw = liveRaw(src, dst, opts);
    assertThat(raw.out()).as("stderr: %s", raw.err()).isNotBlank();
    return new Run(raw.exit(), JSON.readTree(raw.out()), raw.out() + "\n" + raw.err());
  }

  private record Raw(int exit, String out, String err) {}

  private Raw liveRaw(String src, String dst, String... opts) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--aggregator",
                aggregator.address(),
                "trace",
                src,
                dst,
                "--forward-only",
                "--live",
                "-o",
                "json"));
    args.addAll(List.of(opts));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Commands.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args.toArray(String[]::new));
    return new Raw(exit, out.toString(), err.toString());
  }

  /**
   * The aggregator sends a real packet outside the cluster only when asked to, and asks no agent.
   */
  @Test
  void anOutsideDestinationNeedsAllowExternal() {
    Raw r = liveRaw("default/client-1", "ip:" + sb.externalIp(), "--tcp", "--dst-port", "80");
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains("--live: " + sb.externalIp() + " is outside the cluster")
        .contains("--allow-external");
  }

  private static void everyPointSeen(Run r) {
    everyPointSeen(r, 4);
  }

  /** At least {@code min} points (4 across a tunnel: veth, leaving, arriving, veth). */
  private static void everyPointSeen(Run r, int min) {
    JsonNode pts = r.live().path("points");
    assertThat(pts.size()).as(r.text()).isGreaterThanOrEqualTo(min);
    for (JsonNode p : pts) {
      assertThat(p.path("seen").asBoolean()).as("%s: %s", p, r.text()).isTrue();
      assertThat(p.path("interface").asText())
          .as(r.text())
          .isNotBlank()
          .doesNotStartWith("ifindex");
    }
  }

  @Test
  void healthyCrossNodeTraceSeesTheMarkedPacketAtEveryHop() throws Exception {
    Run r = live("default/client-1", "default/web-2", "--tcp", "--dst-port", "80");
    assertThat(r.exit()).as(r.text()).isZero();
    assertThat(r.live().path("modelVerdict").asText()).isEqualTo("DELIVERED");
    assertThat(r.live().path("liveVerdict").asText()).as(r.text()).isEqualTo("DELIVERED");
    assertThat(r.live().path("disagrees").asBoolean()).as(r.text()).isFalse();
    everyPointSeen(r);
    // The underlay points are the tunnel's: left node1, arrived at node2.
    assertThat(r.text()).contains("leaving by geneve to " + sb.nodeIp("node2"));
    assertThat(r.text()).contains("arriving by geneve from " + sb.nodeIp("node1"));
    assertThat(sb.probe("default/client-1", "default/web-2", Probe.tcp(80)).delivered()).isTrue();
  }

  @Test
  void aLiveTraceLeavesNoPacketSocketOpenInAnyAgent() throws Exception {
    Run r = live("default/client-1", "default/web-2", "--tcp", "--dst-port", "80");
    assertThat(r.exit()).as(r.text()).isZero();
    // CollectObserve answers after the capture closed its socket: no agent holds one afterwards.
    for (var n : sb.nodes()) {
      String pid =
          java.nio.file.Files.readString(
                  sb.stateDir().resolve("apps").resolve("agent-" + n.name() + ".pid"))
              .strip();
      java.util.Set<String> packetInodes = new java.util.HashSet<>();
      List<String> lines =
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", pid, "net", "packet"));
      for (String line : lines.subList(1, lines.size())) {
        String[] cols = line.trim().split("\\s+");
        packetInodes.add("socket:[" + cols[cols.length - 1] + "]");
      }
      List<String> held = new ArrayList<>();
      try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc", pid, "fd"))) {
        for (var fd : fds.toList()) {
          try {
            String target = java.nio.file.Files.readSymbolicLink(fd).toString();
            if (packetInodes.contains(target)) {
              held.add(target);
            }
          } catch (java.io.IOException gone) {
            // the fd closed while listing
          }
        }
      }
      assertThat(packetInodes).as("%s has OVS's packet sockets at least", n.name()).isNotEmpty();
      assertThat(held).as("packet sockets held by the agent on %s", n.name()).isEmpty();
    }
  }

  @Test
  void serviceTraceFollowsTheBackendTheLoadBalancerPicked() throws Exception {
    Run r = live("default/client-1", "svc/default/web", "--udp", "--dst-port", "53");
    assertThat(r.exit()).as(r.text()).isZero();
    assertThat(r.live().path("liveVerdict").asText()).as(r.text()).isEqualTo("DELIVERED");
    // The backend on the client's own node gives 2 points, the other one 4.
    everyPointSeen(r, 2);
    String endpoint = r.live().path("endpoint").asText();
    assertThat(endpoint).startsWith("default/web-");
    JsonNode pts = r.live().path("points");
    String pod = endpoint.substring(0, endpoint.indexOf(' '));
    JsonNode lastForward = null;
    for (JsonNode p : pts) {
      if (!p.path("reply").asBoolean()) {
        lastForward = p;
      }
    }
    assertThat(lastForward.path("what").asText()).isEqualTo(pod + " host veth");
    // The backend's answer went back through the same points: the exchange worked.
    assertThat(r.live().path("outcome").asText()).as(r.text()).isEqualTo("REPLIED");
  }

  private static java.util.Set<String> marks(Run r) {
    java.util.Set<String> marks = new java.util.HashSet<>();
    r.live().path("exchanges").forEach(e -> marks.add(e.path("mark").asText()));
    return marks;
  }

  @Test
  void countSendsThatManyExchangesEachWithItsOwnMark() throws Exception {
    Run r = live("default/client-1", "default/web-2", "--udp", "--dst-port", "53", "--count", "3");
    assertThat(r.exit()).as(r.text()).isZero();
    assertThat(r.live().path("exchanges").size()).as(r.text()).isEqualTo(3);
    assertThat(marks(r)).as(r.text()).hasSize(3);
    assertThat(r.live().path("tally").asText()).as(r.text()).isEqualTo("3 of 3 REPLIED");
    everyPointSeen(r);
    assertThat(sb.probe("default/client-1", "default/web-2", Probe.udp(53)).delivered()).isTrue();
  }

  /**
   * Every other tunnel frame into node2 is dropped by the fabric: of four exchanges two are lost
   * after node1's eth0, and the trace shows one of those, not a lucky one.
   */
  @Test
  void anIntermittentLossShowsInTheTallyAndTheLostExchangeSpeaks() throws Exception {
    sb.breakFault(Fault.UNDERLAY_FLAKY, "node2");
    Run r;
    try {
      r =
          live(
              "default/client-1",
              "default/web-2",
              "--udp",
              "--dst-port",
              "53",
              "--count",
              "4",
              "--live-timeout",
              "1s");
    } finally {
      sb.fix(Fault.UNDERLAY_FLAKY, "node2");
    }
    assertThat(r.exit()).as(r.text()).isEqualTo(6);
    assertThat(marks(r)).as(r.text()).hasSize(4);
    assertThat(r.live().path("tally").asText())
        .as(r.text())
        .contains("2 of 4 REPLIED")
        .contains("2 of 4 LOST after node1 eth0");
    int lost = 0;
    for (JsonNode e : r.live().path("exchanges")) {
      boolean gone = e.path("outcome").asText().startsWith("LOST after node1 eth0");
      lost += gone ? 1 : 0;
      assertThat(e.path("disagrees").asBoolean()).as(r.text()).isEqualTo(gone);
    }
    assertThat(lost).isEqualTo(2);
    assertThat(r.live().path("finding").asText()).isEqualTo("model-disagrees");
    assertThat(r.live().path("outcome").asText()).startsWith("LOST after node1 eth0");
    // Fixed: every exchange is answered again.
    assertThat(sb.probe("default/client-1", "default/web-2", Probe.udp(53)).delivered()).isTrue();
  }

  @Test
  void underlayDropTheModelCannotSeeIsNamedWhereThePacketVanished() throws Exception {
    sb.breakFault(Fault.UNDERLAY_DROP, "node2");
    try {
      Run r =
          live(
              "default/client-1",
              "default/web-2",
              "--tcp",
              "--dst-port",
              "80",
              "--live-timeout",
              "1s");
      assertThat(r.exit()).as(r.text()).isEqualTo(6);
      assertThat(r.live().path("modelVerdict").asText()).isEqualTo("DELIVERED");
      assertThat(r.live().path("liveVerdict").asText()).isEqualTo("DROPPED");
      assertThat(r.live().path("finding").asText()).isEqualTo("model-disagrees");
      assertThat(r.live().path("summary").asText())
          .as(r.text())
          .startsWith("model says DELIVERED; the real packet was last seen on node1 eth0")
          .contains("never seen on node2 (arriving by geneve");
      assertThat(sb.probe("default/client-1", "default/web-2", Probe.tcp(80)).delivered())
          .isFalse();
    } finally {
      sb.fix(Fault.UNDERLAY_DROP, "node2");
    }
  }

  /**
   * A pure nftables table on node1 drops what the node forwards to the external host: the kernel
   * model reads iptables-save, which does not print such a table, so the model says LEFT_CLUSTER;
   * the real packet enters node1's kernel (seen leaving OVS by the host-side port) and is never
   * seen leaving it.
   */
  @Test
  void anNftablesDropTheModelCannotSeeIsNamedWhereThePacketVanished() throws Exception {
    sb.breakFault(Fault.NFT_DROP, "node1");
    try {
      Run r =
          live(
              "default/client-1",
              "ip:" + sb.externalIp(),
              "--tcp",
              "--dst-port",
              "80",
              "--live-timeout",
              "1s",
              "--allow-external");
      assertThat(r.exit()).as(r.text()).isEqualTo(6);
      assertThat(r.live().path("modelVerdict").asText()).isEqualTo("LEFT_CLUSTER");
      assertThat(r.live().path("liveVerdict").asText()).as(r.text()).isEqualTo("DROPPED");
      assertThat(r.live().path("finding").asText()).isEqualTo("model-disagrees");
      JsonNode pts = r.live().path("points");
      // veth, the host-side port into node1's kernel, then the uplink it should leave by.
      assertThat(pts.get(0).path("seen").asBoolean()).as(r.text()).isTrue();
      JsonNode intoKernel = pts.get(1);
      assertThat(intoKernel.path("what").asText()).as(r.text()).startsWith("leaving OVS by ");
      assertThat(intoKernel.path("seen").asBoolean()).as(r.text()).isTrue();
      assertThat(pts.get(2).path("predicted").asBoolean()).as(r.text()).isTrue();
      assertThat(pts.get(2).path("seen").asBoolean()).as(r.text()).isFalse();
      String port = intoKernel.path("interface").asText();
      assertThat(r.live().path("outcome").asText())
          .as(r.text())
          .isEqualTo("LOST after node1 " + port + " (leaving OVS by " + port + ")");
      assertThat(r.live().path("summary").asText())
          .as(r.text())
          .startsWith("model says LEFT_CLUSTER; the real packet was last seen on node1 " + port)
          .contains("never seen on node1 (" + pts.get(2).path("what").asText() + ")");
      assertThat(sb.probe("default/client-1", "ext", Probe.tcp(80)).delivered()).isFalse();
    } finally {
      sb.fix(Fault.NFT_DROP, "node1");
    }
    // Fixed: the same live trace gets its answer back.
    Run ok =
        live(
            "default/client-1",
            "ip:" + sb.externalIp(),
            "--tcp",
            "--dst-port",
            "80",
            "--allow-external");
    assertThat(ok.live().path("outcome").asText()).as(ok.text()).isEqualTo("REPLIED");
    assertThat(ok.live().path("disagrees").asBoolean()).as(ok.text()).isFalse();
    assertThat(ok.live().path("liveVerdict").asText()).isEqualTo("LEFT_CLUSTER");
    // Not 6 (no disagreement); the model's own exit code for an outside destination otherwise.
    assertThat(ok.exit()).as(ok.text()).isNotEqualTo(6);
  }

  @Test
  void theMarkedPacketIsToldApartFromBackgroundTraffic() throws Exception {
    // Background: ~500 datagrams/s from the same pod to the same destination, protocol and port,
    // from another source port, running before the captures open and after they close. A filter
    // that ignored the mark would report a background datagram first (before the send, so a
    // negative time) or run out of its 16 sightings before the marked packet came.
    String web2 = sb.pod("default/web-2").ip();
    String gen =
        "import socket,time\n"
            + "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
            + "t=time.time()\n"
            + "while time.time()-t<8:\n"
            + " s.sendto(b'background',('"
            + web2
            + "',53)); time.sleep(0.002)\n";
    Thread bg =
        new Thread(() -> sb.exec(Duration.ofSeconds(20), "default/client-1", "python3", "-c", gen));
    bg.start();
    try {
      Thread.sleep(1000);
      Run r = live("default/client-1", "default/web-2", "--udp", "--dst-port", "53");
      assertThat(r.exit()).as(r.text()).isZero();
      assertThat(r.live().path("disagrees").asBoolean()).as(r.text()).isFalse();
      everyPointSeen(r);
      for (JsonNode p : r.live().path("points")) {
        assertThat(p.path("sinceSendMillis").asDouble())
            .as("%s: %s", p, r.text())
            .isBetween(0.0, 2000.0);
      }
    } finally {
      bg.join(30_000);
    }
  }
}
