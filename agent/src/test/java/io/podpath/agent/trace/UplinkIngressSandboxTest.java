package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.HostIngress;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TraceNode HostIngress UPLINK on a real node: a packet from the external host arrives on the
 * interface the node routes it by. In the sandbox that is the LOCAL port of the netdev bridge that
 * holds the node IP, so it first crosses that bridge from its NIC, then the kernel, which routes it
 * into the integration bridge's host-side port; each verdict against a real packet sent from ext
 * through node1 ({@code probe ext POD --via node1}).
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 1, apps = false)
class UplinkIngressSandboxTest {
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

  static NodeTrace uplink(String iface) {
    return agent
        .stub()
        .traceNode(
            TraceNodeRequest.newBuilder()
                .setHost(
                    HostIngress.newBuilder()
                        .setKind(HostIngress.Kind.KIND_UPLINK)
                        .setInterface(iface))
                .setPacket(
                    Packet.newBuilder()
                        .setSrcIp(sandbox.externalIp())
                        .setDstIp(sandbox.pod("default/web-1").ip())
                        .setProtocol(Protocol.PROTOCOL_TCP)
                        .setDstPort(80))
                .build());
  }

  static boolean delivered() {
    return sandbox.probe("ext", "default/web-1", Probe.tcp(80).through("node1")).delivered();
  }

  @Test
  void fromExtItCrossesTheUplinkBridgeThenTheKernelIntoOvs() {
    NodeTrace t = uplink("");
    // OVS first: the uplink bridge (not the integration bridge), from its NIC, to its LOCAL port
    assertThat(t.getBridge()).as(t.toString()).isNotEmpty().isNotEqualTo("br-int");
    assertThat(t.getFlow()).contains("in_port=");
    assertThat(t.getOutcome().getKind()).isEqualTo(TraceOutcome.Kind.KIND_HOST);
    assertThat(t.getOutcome().getPortName()).isEqualTo(t.getBridge());
    KernelHop k = t.getKernel();
    assertThat(k.getEnteredBy()).isEqualTo(t.getBridge());
    assertThat(k.getResult()).as(k.toString()).isEqualTo(KernelHop.Result.RESULT_BACK_TO_OVS);
    assertThat(k.getOvsBridge()).isEqualTo("br-int");
    assertThat(k.getPacket().getSrcIp()).as("no NAT on the way in").isEqualTo(sandbox.externalIp());
    assertThat(delivered()).isTrue();

    // Named: the port the kernel routed it to is no uplink bridge, so only the kernel is traced.
    NodeTrace named = uplink(k.getDevice());
    assertThat(named.getVia()).isEqualTo("kernel");
    assertThat(named.getFlow()).isEmpty();
    assertThat(named.getKernel().getEnteredBy()).isEqualTo(k.getDevice());
  }

  @Test
  void aForwardDropOnTheWayInIsNamedAndRealPacketsDie() {
    String web1 = sandbox.pod("default/web-1").ip();
    sandbox.breakFault(Fault.FW_DROP, "node1", web1);
    try {
      NodeTrace t = uplink("");
      assertThat(t.getOutcome().getKind())
          .as(t.toString())
          .isEqualTo(TraceOutcome.Kind.KIND_DROPPED);
      assertThat(t.getKernel().getCauseCode()).isEqualTo("rule-drop");
      assertThat(t.getKernel().getCause()).contains("FORWARD");
      assertThat(delivered()).isFalse();
    } finally {
      sandbox.fix(Fault.FW_DROP, "node1", web1);
    }
  }
}
