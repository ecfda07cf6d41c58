package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.grpc.NodeTraceMapper;
import io.podpath.agent.grpc.TraceRequests;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.agent.unixctl.AppctlUnixctl;
import io.podpath.agent.unixctl.ProtocolUnixctl;
import io.podpath.agent.unixctl.Unixctl;
import io.podpath.agent.unixctl.UnixctlSockets;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.NetworkPolicyRef;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TunnelIngress;
import io.podpath.proto.v1.TunnelOutput;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TraceNode against a real 3-node OVN sandbox, one in-JVM agent per node over gRPC. What the trace
 * says is checked against the sandbox's own tools (ovs-vsctl, ovn-sbctl) and real packets
 * (hack/sandbox probe).
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 3, mode = Mode.OVN, apps = false)
class NodeTracerSandboxTest {
  static TraceSandbox sandbox;
  static final Map<String, AgentRuntime> agents = new HashMap<>();
  static final Map<String, ManagedChannel> channels = new HashMap<>();

  @BeforeAll
  static void up(Sandbox s) throws Exception {
    sandbox = TraceSandbox.of(s);
    for (JsonNode n : sandbox.json.get("nodes")) {
      String name = n.get("name").asText();
      AgentRuntime a =
          AgentRuntime.start(
              AgentOptions.loopback(
                  name,
                  Path.of(n.get("ovsRundir").asText()),
                  Optional.of(Path.of("/var/run/netns", n.get("netns").asText())),
                  8));
      agents.put(name, a);
      channels.put(
          name, NettyChannelBuilder.forAddress("127.0.0.1", a.grpcPort()).usePlaintext().build());
    }
    // the first overlay packet to a new peer is dropped while the underlay neighbour resolves
    sandbox.sandboxStatus("probe", "default/client-1", "default/web-2", "--icmp");
    sandbox.sandboxStatus("probe", "default/client-1", "default/web-3", "--icmp");
  }

  @AfterAll
  static void down() throws Exception {
    channels.values().forEach(ManagedChannel::shutdownNow);
    agents.values().forEach(AgentRuntime::close);
  }

  static NodeTrace trace(String node, TraceNodeRequest r) {
    return AgentServiceGrpc.newBlockingStub(channels.get(node))
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .traceNode(r);
  }

  static TraceNodeRequest fromPod(String pod, String dst, int port) {
    return TraceNodeRequest.newBuilder()
        .setPod(PodRef.newBuilder().setNamespace("default").setName(pod))
        .setPacket(
            Packet.newBuilder()
                .setSrcIp(sandbox.podIp(pod))
                .setDstIp(dst)
                .setProtocol(Protocol.PROTOCOL_TCP)
                .setDstPort(port))
        .setIncludeRaw(true)
        .build();
  }

  @Test
  void sameNodeTraceEndsAtTheRightPod() throws Exception {
    NodeTrace t = trace("node1", fromPod("client-1", sandbox.podIp("web-1"), 80));
    assertThat(t.getOutcome().getKind()).as(t.getRaw()).isEqualTo(TraceOutcome.Kind.KIND_LOCAL_POD);
    assertThat(t.getOutcome().getPod())
        .isEqualTo(PodRef.newBuilder().setNamespace("default").setName("web-1").build());
    String ofport =
        sandbox.vsctl(
            "node1",
            "--bare",
            "--columns=ofport",
            "find",
            "Interface",
            "external_ids:iface-id=default_web-1");
    assertThat(t.getOutcome().getOfport()).isEqualTo(Integer.parseInt(ofport));
    assertThat(t.getVia()).isEqualTo("unixctl");
    assertThat(t.getStepsList())
        .anySatisfy(s -> assertThat(s.getLogicalFlow().getStage()).startsWith("ls_in_"));
    assertThat(sandbox.sandboxStatus("probe", "default/client-1", "default/web-1", "--tcp", "80"))
        .as("a real TCP connect agrees")
        .isZero();
  }

  @Test
  void crossNodeLeavesByTheTunnelAndReplaysToThePodOnThePeer() throws Exception {
    NodeTrace t = trace("node1", fromPod("client-1", sandbox.podIp("web-3"), 80));
    assertThat(t.getOutcome().getKind()).as(t.getRaw()).isEqualTo(TraceOutcome.Kind.KIND_TUNNEL);
    TunnelOutput out = t.getOutcome().getTunnel();
    assertThat(out.getRemoteIp()).isEqualTo(sandbox.node("node3").get("ip").asText());
    assertThat(out.getLocalIp()).isEqualTo(sandbox.node("node1").get("ip").asText());
    String vni =
        sandbox.sbctl(
            "--bare",
            "--columns=tunnel_key",
            "find",
            "Datapath_Binding",
            "external_ids:name=node3");
    assertThat(out.getVni()).isEqualTo(Long.parseLong(vni));
    assertThat(out.getGeneveOptionsList()).hasSize(1);
    assertThat(out.getInner().getTtl()).isEqualTo(63);
    // Every Geneve port shares one datapath port: the port named must be the one to node3.
    String portToNode3 =
        sandbox.vsctl(
            "node1",
            "--bare",
            "--columns=name",
            "find",
            "Interface",
            "type=geneve",
            "options:remote_ip=" + out.getRemoteIp());
    assertThat(out.getPortName()).isEqualTo(portToNode3);

    NodeTrace replay =
        trace(
            "node3",
            TraceNodeRequest.newBuilder()
                .setTunnel(
                    TunnelIngress.newBuilder()
                        .setTunSrc(out.getLocalIp())
                        .setTunDst(out.getRemoteIp())
                        .setTunId(out.getVni())
                        .addAllGeneveOptions(out.getGeneveOptionsList()))
                .setPacket(out.getInner())
                .setIncludeRaw(true)
                .build());
    assertThat(replay.getOutcome().getKind())
        .as(replay.getRaw())
        .isEqualTo(TraceOutcome.Kind.KIND_LOCAL_POD);
    assertThat(replay.getOutcome().getPod().getName()).isEqualTo("web-3");
    assertThat(sandbox.sandboxStatus("probe", "default/client-1", "default/web-3", "--tcp", "80"))
        .isZero();
  }

  @Test
  void denyPolicyDropNamesTheNetworkPolicyOnBothNodes() throws Exception {
    sandbox.sandbox("policy", "deny-ingress", "default/web-1");
    sandbox.sandbox("policy", "deny-ingress", "default/web-2");
    try {
      NodeTrace t = trace("node1", fromPod("client-1", sandbox.podIp("web-1"), 80));
      assertThat(t.getOutcome().getKind()).as(t.getRaw()).isEqualTo(TraceOutcome.Kind.KIND_DROPPED);
      NetworkPolicyRef np = t.getOutcome().getDrop().getNetworkPolicy();
      assertThat(np.getNamespace()).isEqualTo("default");
      assertThat(np.getName()).isEqualTo("deny-ingress-web-1");
      assertThat(np.getDirection()).isEqualTo(NetworkPolicyRef.Direction.DIRECTION_INGRESS);
      assertThat(t.getOutcome().getSummary())
          .startsWith("NetworkPolicy default/deny-ingress-web-1 (ingress)");
      assertThat(t.getOutcome().getDrop().getLogicalFlow().getAcl().getExternalIdsMap())
          .containsEntry("k8s.ovn.org/owner-type", "NetpolNamespace");

      // cross-node: node1 still sends it; node2's egress pipeline drops it
      NodeTrace out = trace("node1", fromPod("client-1", sandbox.podIp("web-2"), 80));
      assertThat(out.getOutcome().getKind()).isEqualTo(TraceOutcome.Kind.KIND_TUNNEL);
      TunnelOutput tun = out.getOutcome().getTunnel();
      NodeTrace there =
          trace(
              "node2",
              TraceNodeRequest.newBuilder()
                  .setTunnel(
                      TunnelIngress.newBuilder()
                          .setTunSrc(tun.getLocalIp())
                          .setTunDst(tun.getRemoteIp())
                          .setTunId(tun.getVni())
                          .addAllGeneveOptions(tun.getGeneveOptionsList()))
                  .setPacket(tun.getInner())
                  .build());
      assertThat(there.getOutcome().getKind()).isEqualTo(TraceOutcome.Kind.KIND_DROPPED);
      assertThat(there.getOutcome().getDrop().getNetworkPolicy().getName())
          .isEqualTo("deny-ingress-web-2");
      assertThat(sandbox.sandboxStatus("probe", "default/client-1", "default/web-1", "--tcp", "80"))
          .as("a real TCP connect is refused too")
          .isNotZero();
    } finally {
      sandbox.sandbox("policy", "clear");
    }
  }

  @Test
  void cookiesDecodeToTheSameLogicalFlowsAsOvnDetrace() throws Exception {
    NodeTrace t = trace("node1", fromPod("client-1", sandbox.podIp("web-3"), 80));
    String central = sandbox.json.get("ovnSbSocket").asText();
    String detrace =
        TraceSandbox.toolWithInput(
            t.getRaw(),
            "ovn-detrace",
            "--ovnsb=unix:" + central,
            "--ovnnb=unix:" + sandbox.json.get("ovnNbSocket").asText());
    // "N. match, priority P, cookie 0xC" followed by "  * Logical flow: table=T (stage),
    // priority=P"
    Map<String, String> byCookie = new HashMap<>();
    Matcher m =
        Pattern.compile(
                "cookie (0x[0-9a-f]+)\\n(?:(?!\\d+\\. ).*\\n)*?\\s+\\* Logical flow: table=(\\d+) \\(([a-z_]+)\\), priority=(\\d+)")
            .matcher(detrace);
    while (m.find()) {
      byCookie.putIfAbsent(m.group(1), m.group(2) + "/" + m.group(3) + "/" + m.group(4));
    }
    assertThat(byCookie).as(detrace).hasSizeGreaterThan(10);
    int compared = 0;
    for (var s : t.getStepsList()) {
      String want = byCookie.get(s.getCookie());
      if (want != null && s.hasLogicalFlow()) {
        var lf = s.getLogicalFlow();
        assertThat(lf.getTable() + "/" + lf.getStage() + "/" + lf.getPriority())
            .as("cookie " + s.getCookie())
            .isEqualTo(want);
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(10);
  }

  @Test
  void aSourceIpThePodDoesNotOwnIsDroppedByPortSecurityAndSaidUpFront() {
    TraceNodeRequest r = fromPod("client-1", sandbox.podIp("web-1"), 80);
    r = r.toBuilder().setPacket(r.getPacket().toBuilder().setSrcIp("10.244.1.99")).build();
    NodeTrace t = trace("node1", r);
    assertThat(t.getOutcome().getKind()).as(t.getRaw()).isEqualTo(TraceOutcome.Kind.KIND_DROPPED);
    assertThat(t.getFindingsList())
        .anySatisfy(f -> assertThat(f.getCode()).isEqualTo("src-ip-not-pod"));
    assertThat(t.getOutcome().getDrop().getLogicalFlow().getStage()).startsWith("ls_in_");
  }

  @Test
  void externalTrafficLeavesThroughTheManagementPortToTheHost() {
    NodeTrace t = trace("node1", fromPod("client-1", sandbox.json.get("externalIp").asText(), 80));
    assertThat(t.getOutcome().getKind()).as(t.getRaw()).isEqualTo(TraceOutcome.Kind.KIND_HOST);
    assertThat(t.getOutcome().getPortName()).isEqualTo("ovn-k8s-mp0");
  }

  @Test
  void serviceVipStopsAtTheLoadBalancerRecirculation() {
    NodeTrace t = trace("node1", fromPod("client-1", sandbox.json.get("serviceIp").asText(), 80));
    assertThat(t.getOutcome().getKind())
        .as(t.getRaw())
        .isEqualTo(TraceOutcome.Kind.KIND_RECIRCULATION);
    assertThat(t.getOutcome().getRecirculation()).startsWith("hash(");
    assertThat(t.getOutcome().getSummary())
        .contains("(Service default/web)")
        .contains("10.96.0.10:80 -> " + sandbox.podIp("web-1") + ":80");
    assertThat(t.getStepsList())
        .anySatisfy(
            s ->
                assertThat(s.getLogicalFlow().getLoadBalancer().getVipsMap())
                    .containsKey("10.96.0.10:80"));
  }

  @Test
  void theOvnNbOptionIsTheNorthboundTheTraceReads() throws Exception {
    JsonNode n = sandbox.json.get("nodes").get(0);
    assertThat(n.get("name").asText()).isEqualTo("node1");
    Path missing = Path.of("/nonexistent-podpath-nb/ovnnb_db.sock");
    try (AgentRuntime a =
            AgentRuntime.start(
                AgentOptions.builder("node1", Path.of(n.get("ovsRundir").asText()))
                    .ovnNb(Optional.of("unix:" + missing))
                    .hostNetns(Optional.of(Path.of("/var/run/netns", n.get("netns").asText())))
                    .maxConcurrentCalls(4)
                    .build());
        NodeTracer tracer = NodeTracer.forAgent(a.context())) {
      NodeTrace t =
          NodeTraceMapper.toProto(
              tracer.trace(
                  TraceRequests.fromProto(fromPod("client-1", sandbox.podIp("web-2"), 80)),
                  Duration.ofSeconds(20)));
      // Without the option the NB next to the SB is read (the other tests name policies with it).
      assertThat(t.getFindingsList())
          .anySatisfy(
              f -> {
                assertThat(f.getCode()).isEqualTo("ovn-nb-unreachable");
                assertThat(f.getMessage()).contains(missing.toString());
              });
    }
  }

  @Test
  void unixctlAndExecGiveTheSameParsedResult() {
    var ctx = Objects.requireNonNull(agents.get("node1"), "node1").context();
    Path rundir = ctx.ovsRundir();
    var proto = new ProtocolUnixctl(() -> UnixctlSockets.find(rundir, "ovs-vswitchd"));
    var exec = new AppctlUnixctl(ctx.runner(), () -> UnixctlSockets.find(rundir, "ovs-vswitchd"));
    TraceSpec spec = TraceRequests.fromProto(fromPod("client-1", sandbox.podIp("web-2"), 80));
    try (OvnLink ovn = new OvnLink(Optional.empty(), Optional.empty())) {
      NodeTraceResult a =
          new NodeTracer(ctx, proto, proto, ovn).trace(spec, Duration.ofSeconds(20));
      NodeTraceResult b = new NodeTracer(ctx, exec, exec, ovn).trace(spec, Duration.ofSeconds(20));
      assertThat(a.via()).isEqualTo("unixctl");
      assertThat(b.via()).isEqualTo("exec");
      // recirculation ids grow with every trace; everything else must be identical
      assertThat(stable(b.outcome().toString())).isEqualTo(stable(a.outcome().toString()));
      assertThat(b.steps().size()).isEqualTo(a.steps().size());
      for (int i = 0; i < a.steps().size(); i++) {
        assertThat(stable(b.steps().get(i).toString()))
            .isEqualTo(stable(a.steps().get(i).toString()));
      }
      assertThat(b.flow()).isEqualTo(a.flow());
      // a protocol failure on the unixctl path falls back to ovs-appctl and says so
      Unixctl broken =
          new Unixctl() {
            @Override
            public String call(String method, List<String> params, Duration timeout) {
              throw new ProtocolException("garbled reply");
            }

            @Override
            public String via() {
              return "unixctl";
            }
          };
      NodeTraceResult c =
          new NodeTracer(ctx, broken, exec, ovn).trace(spec, Duration.ofSeconds(20));
      assertThat(c.via()).isEqualTo("exec");
      assertThat(c.findings()).extracting(TraceFinding::code).contains("unixctl-fallback");
      assertThat(stable(c.outcome().toString())).isEqualTo(stable(a.outcome().toString()));
    }
  }

  private static String stable(String s) {
    return s.replaceAll("recirc(_id)?[(=]0x[0-9a-f]+", "recirc");
  }

  @Test
  void unknownPodIsNotFoundAndBadInputInvalid() {
    assertThatThrownBy(() -> trace("node1", fromPod("client-2", "10.244.1.3", 80)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    TraceNodeRequest bad =
        fromPod("client-1", "10.244.1.3", 80).toBuilder()
            .setPacket(
                fromPod("client-1", "10.244.1.3", 80).getPacket().toBuilder().setDstIp("web-1"))
            .build();
    assertThatThrownBy(() -> trace("node1", bad))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("packet.dst_ip");
            });
  }
}
