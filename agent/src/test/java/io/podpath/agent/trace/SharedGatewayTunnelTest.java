package io.podpath.agent.trace;

import static io.podpath.agent.trace.TraceFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OVN-Kubernetes' shared gateway on the userspace datapath, recorded by
 * hack/fixtures/trace-shared-gateway.sh: the underlay address sits on the uplink bridge, so after
 * the Geneve push ofproto/trace follows the encapsulated packet across that bridge, whose flows
 * commit it in the host's conntrack zone inside a {@code clone} before putting it out of the NIC.
 * That NIC output is the tunnel's own way out, not a second destination.
 */
class SharedGatewayTunnelTest {
  private static final String DIR = "shared-gateway/";

  @Test
  void aTunnelLeavingByTheUplinkBridgesNicIsOneTunnelOutput() {
    DpifPorts dpif = DpifPorts.parse(read(DIR + "dpif-show-node1.txt"));
    Map<String, PortInfo> ports =
        PortDirectory.of(FixtureRows.interfaces(DIR + "interfaces-node1.json"), dpif);
    Outcome o =
        OutcomeClassifier.classify(
                TraceOutputParser.parse(read(DIR + "cross-node-tcp.txt")), dpif, ports, "br-int")
            .outcome();
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TUNNEL);
    assertThat(o.tunnel().orElseThrow().portName()).isEqualTo("ovn-node2-0");
    assertThat(o.summary()).doesNotContain("multiple outputs");
  }
}
