package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.SizeCheck;
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
 * The tunnel's MTU budget against real packets: with both nodes' pods at MTU 1500 over the 1500
 * underlay ({@code break mtu}), an ICMP echo from client-1 (node1) to web-2 (node2) of IP length
 * 1442 (payload 1414) fits 1442 + 58 Geneve, and one byte more vanishes — with and without DF, as
 * OVS does not fragment the encapsulated packet. TraceNode on node1 must say the same, naming the
 * arithmetic and the underlay device the node itself routes the peer's encap IP out of.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, apps = false)
class TunnelMtuSandboxTest {
  static final int ICMP_AND_IP = 28;

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

  static NodeTrace trace(int payload, boolean df) {
    Pod c = sandbox.pod("default/client-1");
    Pod w = sandbox.pod("default/web-2");
    return agent
        .stub()
        .traceNode(
            TraceNodeRequest.newBuilder()
                .setPod(PodRef.newBuilder().setNamespace(c.namespace()).setName(c.name()))
                .setPacket(
                    Packet.newBuilder()
                        .setSrcIp(c.ip())
                        .setDstIp(w.ip())
                        .setProtocol(Protocol.PROTOCOL_ICMP)
                        .setIcmpType(8)
                        .setSize(payload + ICMP_AND_IP)
                        .setAllowFragmentation(!df))
                .build());
  }

  /** The tunnel's check (the source pod's eth0 is checked before it, in path order). */
  static SizeCheck tunnelCheck(NodeTrace t) {
    return t.getSizeChecksList().stream()
        .filter(c -> c.getOverhead() > 0)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no tunnel size check in " + t.getSizeChecksList()));
  }

  static boolean real(int payload, boolean df) {
    Probe p = df ? Probe.icmp().withDfSize(payload) : Probe.icmp().withSize(payload);
    return sandbox.probe("default/client-1", "default/web-2", p).delivered();
  }

  @Test
  void theTunnelBudgetDecidesAsRealPacketsDo() {
    try {
      sandbox.breakFault(Fault.MTU, "node1");
      sandbox.breakFault(Fault.MTU, "node2");
      for (boolean df : new boolean[] {true, false}) {
        NodeTrace fits = trace(1414, df);
        assertThat(fits.getOutcome().getKind())
            .as(fits.getOutcome().getSummary())
            .isEqualTo(TraceOutcome.Kind.KIND_TUNNEL);
        SizeCheck ok = tunnelCheck(fits);
        assertThat(ok.getFits()).isTrue();
        assertThat(ok.getSize() + ok.getOverhead()).isEqualTo(ok.getMtu());
        assertThat(real(1414, df)).as("payload 1414 df=%s", df).isTrue();

        NodeTrace over = trace(1415, df);
        assertThat(over.getOutcome().getKind())
            .as(over.getOutcome().getSummary())
            .isEqualTo(TraceOutcome.Kind.KIND_DROPPED);
        assertThat(over.getOutcome().getDrop().getCauseCode()).isEqualTo("too-big");
        assertThat(over.getOutcome().getSummary())
            .startsWith("1443 + 58 Geneve > 1500 on node1 " + ok.getWhere().split(" over ")[1]);
        assertThat(tunnelCheck(over).getFits()).isFalse();
        assertThat(real(1415, df)).as("payload 1415 df=%s", df).isFalse();
      }
    } finally {
      sandbox.fix(Fault.MTU, "node1");
      sandbox.fix(Fault.MTU, "node2");
    }
  }
}
