package io.podpath.agent.trace;

import static io.podpath.agent.trace.TraceFixtures.read;
import static io.podpath.agent.trace.TraceFixtures.why;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ip.IpLiteral;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Recorded on node1 of {@code hack/sandbox up --nodes 2 --mode antrea}: {@code ofproto/trace
 * br-int} of client-1's TCP packet to web-2 (node2), {@code dpif/show} and the Interface table (the
 * select of hack/fixtures/trace.sh). L3Forwarding loads node2's IP into tun_dst, then
 * ConntrackCommit recirculates and the resumed pass's output to antrea-tun0 is refused ("Not
 * tunneling to our own address").
 */
class ThawedTunnelTest {
  private static final String TRACE = "antrea-cross-node-tcp.txt";

  private static OutcomeClassifier.Result classify(String trace) {
    DpifPorts dpif = DpifPorts.parse(read("dpif-show-antrea-node1.txt"));
    Map<String, PortInfo> ports =
        PortDirectory.of(FixtureRows.interfaces("interfaces-antrea-node1.json"), dpif);
    return OutcomeClassifier.classify(TraceOutputParser.parse(trace), dpif, ports, "br-int");
  }

  @Test
  void antreasTunnelAfterConntrackCommitLeavesToTheTunDstAnEarlierPassSet() {
    String raw = read(TRACE);
    assertThat(raw).as(why(TRACE)).contains(ThawedTunnel.OWN);
    Outcome o = classify(raw).outcome();
    assertThat(o.kind()).as(why(TRACE)).isEqualTo(Outcome.Kind.TUNNEL);
    Outcome.Tunnel t = o.tunnel().orElseThrow();
    assertThat(t.portName()).as(why(TRACE)).isEqualTo("antrea-tun0");
    assertThat(t.type()).as(why(TRACE)).isEqualTo("geneve");
    assertThat(t.remoteIp()).as(why(TRACE)).isEqualTo("172.31.33.12");
    assertThat(t.vni()).as(why(TRACE)).isZero();
    PacketHeaders inner = t.inner().orElseThrow();
    assertThat(IpLiteral.format(inner.dst())).as(why(TRACE)).isEqualTo("10.244.2.3");
    assertThat(inner.ttl()).as(why(TRACE)).isEqualTo(63);
    assertThat(inner.dstMac().orElseThrow().toString())
        .as(why(TRACE))
        .isEqualTo("aa:bb:cc:dd:ee:ff");
  }

  /** A packet that arrived by a tunnel to that very address is still refused: nothing derived. */
  @Test
  void aTunDstTheIngressCarriedIsNotTakenForAnEarlierPass() {
    String raw =
        read(TRACE)
            .replaceFirst("Flow: tcp,in_port=3,", "Flow: tcp,tun_dst=172.31.33.12,in_port=3,");
    assertThat(raw).as(why(TRACE)).contains("Flow: tcp,tun_dst=172.31.33.12,in_port=3,");
    assertThat(classify(raw).outcome().kind()).as(why(TRACE)).isEqualTo(Outcome.Kind.DROPPED);
  }
}
