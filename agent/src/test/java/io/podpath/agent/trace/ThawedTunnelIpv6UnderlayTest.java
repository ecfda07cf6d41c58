package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ip.IpLiteral;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Recorded on node1 of {@code hack/sandbox up --nodes 2 --mode antrea --ip-family dual --underlay
 * ipv6} by hack/fixtures/trace-antrea-underlay6.sh: L3Forwarding sets {@code set_field:<node2's
 * IPv6>->tun_ipv6_dst}, ConntrackCommit recirculates, and the resumed pass's output to antrea-tun0
 * is refused ("Not tunneling to our own address") with tun_dst still 0.0.0.0. The datapath sends it
 * to node2's IPv6 address, for either inner family.
 */
class ThawedTunnelIpv6UnderlayTest {
  private static final String DIR = "antrea-underlay6/";
  private static final String WHY =
      "fixture recorded from the sandbox; re-record with hack/fixtures/trace-antrea-underlay6.sh: ";

  private static Outcome classify(String trace) {
    DpifPorts dpif = DpifPorts.parse(TraceFixtures.read(DIR + "dpif-show-node1.txt"));
    Map<String, PortInfo> ports =
        PortDirectory.of(FixtureRows.interfaces(DIR + "interfaces-node1.json"), dpif);
    return OutcomeClassifier.classify(TraceOutputParser.parse(trace), dpif, ports, "br-int")
        .outcome();
  }

  private static void leavesToNode2sIpv6(String fixture, String innerDst) {
    String raw = TraceFixtures.read(DIR + fixture);
    assertThat(raw).as(WHY + fixture).contains(ThawedTunnel.OWN).contains("->tun_ipv6_dst");
    Outcome o = classify(raw);
    assertThat(o.kind()).as(WHY + fixture).isEqualTo(Outcome.Kind.TUNNEL);
    Outcome.Tunnel t = o.tunnel().orElseThrow();
    assertThat(t.portName()).as(WHY + fixture).isEqualTo("antrea-tun0");
    assertThat(t.remoteIp()).as(WHY + fixture).isEqualTo("fd00:172:31:31::12");
    assertThat(IpLiteral.format(t.inner().orElseThrow().dst()))
        .as(WHY + fixture)
        .isEqualTo(innerDst);
  }

  @Test
  void anIpv6PodPacketLeavesToThePeersIpv6TunIpv6Dst() {
    leavesToNode2sIpv6("cross-node-tcp6.txt", "fd00:10:244:2::3");
  }

  @Test
  void anIpv4PodPacketLeavesToThePeersIpv6TunIpv6DstToo() {
    leavesToNode2sIpv6("cross-node-tcp4.txt", "10.244.2.3");
  }
}
