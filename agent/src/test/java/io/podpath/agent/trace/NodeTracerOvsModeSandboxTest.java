package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.net.InetAddresses;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.testkit.Mode;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** TraceNode on plain OVS (hack/sandbox --mode ovs: static flows, Geneve VNI 1, no OVN). */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, mode = Mode.OVS, apps = false)
class NodeTracerOvsModeSandboxTest {
  static TraceSandbox sandbox;
  static final Map<String, AgentRuntime> agents = new HashMap<>();

  @BeforeAll
  static void up(Sandbox s) throws Exception {
    sandbox = TraceSandbox.of(s);
    for (JsonNode n : sandbox.json.get("nodes")) {
      String name = n.get("name").asText();
      agents.put(
          name,
          AgentRuntime.start(
              AgentOptions.loopback(
                  name,
                  Path.of(n.get("ovsRundir").asText()),
                  Optional.of(Path.of("/var/run/netns", n.get("netns").asText())),
                  8)));
    }
    sandbox.sandboxStatus("probe", "default/client-1", "default/web-2", "--icmp");
  }

  @AfterAll
  static void down() throws Exception {
    agents.values().forEach(AgentRuntime::close);
  }

  static NodeTraceResult trace(String node, TraceSpec spec) {
    try (OvnLink ovn = new OvnLink(Optional.empty(), Optional.empty())) {
      return new NodeTracer(Objects.requireNonNull(agents.get(node), node).context(), ovn)
          .trace(spec, Duration.ofSeconds(20));
    }
  }

  static TraceSpec tcp(String pod, String dst) {
    String ip = "";
    for (JsonNode p : sandbox.json.get("pods")) {
      if (p.get("name").asText().equals(pod)) {
        ip = p.get("ip").asText();
      }
    }
    return new TraceSpec(
        new TraceSpec.FromPod(new PodName("default", pod)),
        new PacketHeaders(
            InetAddresses.forString(ip),
            InetAddresses.forString(dst),
            L4Protocol.TCP,
            40000,
            80,
            0,
            0,
            Optional.empty(),
            Optional.empty(),
            64),
        List.of(),
        true);
  }

  @Test
  void sameNodeCrossNodeAndReplayOnPlainOvs() {
    NodeTraceResult same = trace("node1", tcp("client-1", "10.244.1.3"));
    assertThat(same.outcome().kind()).as(same.raw()).isEqualTo(Outcome.Kind.LOCAL_POD);
    assertThat(same.outcome().pod()).contains(new PodName("default", "web-1"));
    assertThat(same.findings()).noneMatch(f -> f.code().startsWith("ovn-"));

    NodeTraceResult cross = trace("node1", tcp("client-1", "10.244.2.3"));
    assertThat(cross.outcome().kind()).as(cross.raw()).isEqualTo(Outcome.Kind.TUNNEL);
    Outcome.Tunnel t = cross.outcome().tunnel().orElseThrow();
    assertThat(t.remoteIp()).isEqualTo(sandbox.node("node2").get("ip").asText());
    assertThat(t.vni()).isEqualTo(1);
    assertThat(t.portName()).isEqualTo("gnv-node2");

    NodeTraceResult replay =
        trace(
            "node2",
            new TraceSpec(
                new TraceSpec.FromTunnel(
                    new TunnelMatch(
                        InetAddresses.forString(t.localIp()),
                        InetAddresses.forString(t.remoteIp()),
                        t.vni(),
                        t.geneveOptions())),
                t.inner().orElseThrow(),
                List.of(),
                true));
    assertThat(replay.outcome().kind()).as(replay.raw()).isEqualTo(Outcome.Kind.LOCAL_POD);
    assertThat(replay.outcome().pod()).contains(new PodName("default", "web-2"));
  }
}
