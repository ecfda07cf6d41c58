package io.podpath.agent.trace;

import static io.podpath.agent.trace.TraceFixtures.read;
import static io.podpath.agent.trace.TraceFixtures.why;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.ovn.PolicyRef;
import io.podpath.agent.ovsdb.OvsState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parser, classifier and OVN decoder on ofproto/trace output of IPv6 packets, recorded from a
 * dual-stack sandbox by hack/fixtures/trace-ipv6.sh (pods fd00:10:244:i::/64, Geneve over IPv4).
 */
class Ipv6TraceFixturesTest {
  private static final String DIR = "ipv6/";

  private static OutcomeClassifier.Result classify(String trace, String node) {
    DpifPorts dpif = DpifPorts.parse(read(DIR + "dpif-show-" + node + ".txt"));
    return OutcomeClassifier.classify(
        TraceOutputParser.parse(read(DIR + trace)),
        dpif,
        PortDirectory.of(FixtureRows.interfaces(DIR + "interfaces-" + node + ".json"), dpif),
        "br-int");
  }

  @Test
  void theRecordedFlowIsIpv6AsFlowBuilderWritesIt() {
    String f = DIR + "cross-node-tcp.txt";
    ParsedTrace p = TraceOutputParser.parse(read(f));
    assertThat(p.flow()).as(why(f)).startsWith("tcp6,").contains("ipv6_dst=fd00:");
  }

  @Test
  void sameNodeIpv6ReachesTheLocalPod() {
    for (String f : List.of("same-node-tcp.txt", "same-node-udp.txt")) {
      Outcome o = classify(f, "node1").outcome();
      assertThat(o.kind()).as(why(DIR + f)).isEqualTo(Outcome.Kind.LOCAL_POD);
      assertThat(o.pod()).as(why(DIR + f)).contains(new PodName("default", "web-1"));
    }
  }

  @Test
  void crossNodeIpv6LeavesByGeneveOverTheIpv4Underlay() {
    String f = "cross-node-tcp.txt";
    Outcome o = classify(f, "node1").outcome();
    assertThat(o.kind()).as(why(DIR + f)).isEqualTo(Outcome.Kind.TUNNEL);
    Outcome.Tunnel t = o.tunnel().orElseThrow();
    assertThat(t.type()).as(why(DIR + f)).isEqualTo("geneve");
    assertThat(t.remoteIp()).as(why(DIR + f)).doesNotContain(":");
    assertThat(t.geneveOptions()).as(why(DIR + f)).hasSize(1);
    PacketHeaders inner = t.inner().orElseThrow();
    assertThat(inner.ipv6()).as(why(DIR + f)).isTrue();
    // routed by ovn_cluster_router: hop limit decremented, node2's router MAC as source
    assertThat(inner.ttl()).as(why(DIR + f)).isEqualTo(63);
    assertThat(IpLiteral.format(inner.dst())).as(why(DIR + f)).startsWith("fd00:10:244:2::");
    assertThat(inner.dstPort()).as(why(DIR + f)).isEqualTo(80);
    assertThat(t.innerFlow()).as(why(DIR + f)).contains("ipv6_dst=fd00:10:244:2::");
  }

  @Test
  void icmpv6EchoKeepsItsType() {
    String f = "cross-node-icmp.txt";
    Outcome o = classify(f, "node1").outcome();
    assertThat(o.kind()).as(why(DIR + f)).isEqualTo(Outcome.Kind.TUNNEL);
    PacketHeaders inner = o.tunnel().orElseThrow().inner().orElseThrow();
    assertThat(inner.ipv6()).as(why(DIR + f)).isTrue();
    assertThat(inner.protocol()).as(why(DIR + f)).isEqualTo(L4Protocol.ICMP);
    assertThat(inner.icmpType()).as(why(DIR + f)).isEqualTo(128);
  }

  @Test
  void tunnelIngressDeliversTheIpv6Packet() {
    String f = "tunnel-ingress-tcp.txt";
    Outcome o = classify(f, "node2").outcome();
    assertThat(o.kind()).as(why(DIR + f)).isEqualTo(Outcome.Kind.LOCAL_POD);
    assertThat(o.pod()).as(why(DIR + f)).contains(new PodName("default", "web-2"));
  }

  @Test
  void theIpv6ClusterIpStopsAtTheLoadBalancersRecirculation() {
    String f = "lb-vip-tcp.txt";
    Outcome o = classify(f, "node1").outcome();
    assertThat(o.kind()).as(why(DIR + f)).isEqualTo(Outcome.Kind.RECIRCULATION);
    assertThat(o.recirculation()).as(why(DIR + f)).contains("load balancer");
  }

  /** The NetworkPolicy's drop of an IPv6 packet is named through the northbound, as in IPv4. */
  @Test
  void anIpv6PolicyDropIsNamedToItsNetworkPolicy() {
    String f = "policy-drop-tunnel-ingress.txt";
    OutcomeClassifier.Result r = classify(f, "node2");
    assertThat(r.outcome().kind()).as(why(DIR + f)).isEqualTo(Outcome.Kind.DROPPED);
    OvsState ovs =
        new OvsState(
            new OvsState.OvsSystem("", "", Map.of("ovn-remote", "tcp:192.0.2.1:6642"), List.of()),
            List.of(),
            List.of(),
            List.of());
    List<TraceFinding> findings = new ArrayList<>();
    OvnLink.Session s =
        new OvnLink(x -> FixtureRows.tables(DIR, true))
            .open(ovs, Duration.ofSeconds(1), findings)
            .orElseThrow();
    Outcome o = s.explainDrop(r.outcome(), TraceOutputParser.parse(read(DIR + f)), findings);
    assertThat(o.drop().orElseThrow().policy())
        .as(why(DIR + f))
        .contains(new PolicyRef("default", "deny-ingress-web-2", PolicyRef.Direction.INGRESS));
    assertThat(o.summary())
        .as(why(DIR + f))
        .startsWith("NetworkPolicy default/deny-ingress-web-2 (ingress)");
  }
}
