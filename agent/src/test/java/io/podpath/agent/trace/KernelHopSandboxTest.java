package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.OvsPortIngress;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TraceNode over gRPC continues into the node kernel when OVS hands the packet to a host-side port
 * (pod → ext leaves OVN by the management port), and every verdict is checked against a real packet
 * (hack/sandbox probe) with the node kernel healthy and broken by each kernel fault.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 1, apps = false)
class KernelHopSandboxTest {
  static Sandbox sandbox;
  static LoopbackAgent agent;

  @BeforeAll
  static void up(Sandbox sb) throws Exception {
    sandbox = sb;
    agent = LoopbackAgent.on(sb.node("node1"));
  }

  @AfterAll
  static void down() {
    if (agent != null) {
      agent.close();
    }
  }

  /** client-1 → ext TCP 80; fresh kernel facts are not asked for: the ports change invalidates. */
  static NodeTrace trace(int size, boolean df) {
    Pod c = sandbox.pod("default/client-1");
    TraceNodeRequest r =
        TraceNodeRequest.newBuilder()
            .setPod(PodRef.newBuilder().setNamespace(c.namespace()).setName(c.name()))
            .setPacket(
                Packet.newBuilder()
                    .setSrcIp(c.ip())
                    .setDstIp(sandbox.externalIp())
                    .setProtocol(Protocol.PROTOCOL_TCP)
                    .setDstPort(80)
                    .setSize(size)
                    .setAllowFragmentation(!df))
            .build();
    return agent.stub().traceNode(r);
  }

  static boolean delivered() {
    return sandbox.probe("default/client-1", "ext", Probe.tcp(80)).delivered();
  }

  /**
   * Healthy: the kernel routes the packet to the uplink. In the sandbox (as on OVN-Kubernetes
   * shared-gateway nodes) the uplink route leaves by the gateway bridge's LOCAL port, so the kernel
   * hands it back to OVS there; TraceNode from that port (OvsPortIngress) then outputs it to the
   * physical NIC, a port that is not host-side: it leaves the node, and real packets agree.
   */
  @Test
  void healthyEgressGoesBackToOvsAtTheGatewayBridgeAndOutTheNic() {
    NodeTrace t = trace(0, true);
    assertThat(t.hasKernel()).as("kernel hop after %s", t.getOutcome()).isTrue();
    KernelHop k = t.getKernel();
    assertThat(k.getResult()).as(k.toString()).isEqualTo(KernelHop.Result.RESULT_BACK_TO_OVS);
    assertThat(k.getEnteredBy()).isEqualTo(t.getOutcome().getPortName());
    assertThat(k.getOvsBridge()).isNotEmpty();
    assertThat(k.getOfport()).isPositive();
    assertThat(k.getPacket().getDstMac()).as("neighbour of the next hop").isNotEmpty();
    assertThat(k.getNatList()).as("MASQUERADE to the node address").isNotEmpty();
    assertThat(t.getOutcome().getKind()).isNotEqualTo(TraceOutcome.Kind.KIND_DROPPED);

    NodeTrace next =
        agent
            .stub()
            .traceNode(
                TraceNodeRequest.newBuilder()
                    .setPort(
                        OvsPortIngress.newBuilder()
                            .setBridge(k.getOvsBridge())
                            .setOfport(k.getOfport()))
                    .setPacket(k.getPacket())
                    .build());
    assertThat(next.getOutcome().getKind())
        .as(next.getOutcome().getSummary())
        .isEqualTo(TraceOutcome.Kind.KIND_OTHER_PORT);
    assertThat(next.hasKernel()).isFalse();
    assertThat(delivered()).isTrue();
  }

  @Test
  void anOfportThatIsNoHostSidePortIsRefused() {
    assertThatThrownBy(
            () ->
                agent
                    .stub()
                    .traceNode(
                        TraceNodeRequest.newBuilder()
                            .setPort(
                                OvsPortIngress.newBuilder().setBridge("br-int").setOfport(9999))
                            .setPacket(trace0Packet())
                            .build()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("not a host-side");
  }

  static Packet trace0Packet() {
    return Packet.newBuilder()
        .setSrcIp(sandbox.pod("default/client-1").ip())
        .setDstIp(sandbox.externalIp())
        .setProtocol(Protocol.PROTOCOL_TCP)
        .setDstPort(80)
        .build();
  }

  @Test
  void ipForwardOffIsADropNamingTheNodeAndRealPacketsDie() throws Exception {
    assertFault(Fault.IP_FORWARD, "ip-forward-off", "ip_forward is 0 on node1");
  }

  @Test
  void forwardDropRuleIsNamedAndRealPacketsDie() throws Exception {
    assertFault(Fault.FW_DROP, "rule-drop", "filter FORWARD #1");
  }

  @Test
  void forwardRejectRuleIsNamedAndRealPacketsAreRefused() throws Exception {
    assertFault(Fault.FW_REJECT, "rule-reject", "rejected");
  }

  @Test
  void missingRouteIsNamedAndRealPacketsDie() throws Exception {
    assertFault(Fault.ROUTE, "no-route", "no route to " + sandbox.externalIp() + " on node1");
  }

  private static void assertFault(Fault f, String code, String words) throws Exception {
    try {
      sandbox.breakFault(f, "node1");
      NodeTrace t = trace(0, true);
      assertThat(t.getKernel().getResult())
          .as(t.getKernel().toString())
          .isEqualTo(KernelHop.Result.RESULT_DROPPED);
      assertThat(t.getKernel().getCauseCode()).isEqualTo(code);
      assertThat(t.getKernel().getCause()).contains(words);
      assertThat(t.getOutcome().getKind()).isEqualTo(TraceOutcome.Kind.KIND_DROPPED);
      assertThat(t.getOutcome().getDrop().getCauseCode()).isEqualTo(code);
      assertThat(t.getOutcome().getSummary()).contains(words);
      assertThat(delivered()).as("a real packet under " + f).isFalse();
    } finally {
      sandbox.fix(f, "node1");
    }
    assertThat(trace(0, true).getKernel().getResult())
        .isEqualTo(KernelHop.Result.RESULT_BACK_TO_OVS);
    assertThat(delivered()).isTrue();
  }
}
