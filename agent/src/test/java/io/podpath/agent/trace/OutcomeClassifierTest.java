package io.podpath.agent.trace;

import static io.podpath.agent.trace.TraceFixtures.read;
import static io.podpath.agent.trace.TraceFixtures.why;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ip.IpLiteral;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeClassifierTest {

  private static Outcome classify(String trace, String node) {
    DpifPorts dpif = DpifPorts.parse(read("dpif-show-" + node + ".txt"));
    Map<String, PortInfo> ports =
        PortDirectory.of(FixtureRows.interfaces("interfaces-" + node + ".json"), dpif);
    OutcomeClassifier.Result r =
        OutcomeClassifier.classify(TraceOutputParser.parse(read(trace)), dpif, ports, "br-int");
    return r.outcome();
  }

  @Test
  void dpifShowMapsDatapathPortsToOpenFlowPorts() {
    String f = "dpif-show-node1.txt";
    DpifPorts d = DpifPorts.parse(read(f));
    assertThat(d.byName("br-int").orElseThrow().ofport()).as(why(f)).isEqualTo(65534);
    DpifPorts.Port tunnel =
        d.ports().stream().filter(p -> p.type().equals("geneve")).findFirst().orElseThrow();
    assertThat(tunnel.bridge()).as(why(f)).isEqualTo("br-int");
    assertThat(tunnel.options()).as(why(f)).contains("remote_ip=");
    assertThat(d.byDatapathPort(tunnel.dpPort())).as(why(f)).contains(tunnel);
  }

  @Test
  void sameNodeIsTheLocalWebPod() {
    for (String f :
        new String[] {"same-node-tcp.txt", "same-node-udp.txt", "same-node-ct-est.txt"}) {
      Outcome o = classify(f, "node1");
      assertThat(o.kind()).as(why(f)).isEqualTo(Outcome.Kind.LOCAL_POD);
      assertThat(o.pod()).as(why(f)).contains(new PodName("default", "web-1"));
      assertThat(o.ofport()).as(why(f)).isPositive();
      assertThat(o.summary()).as(why(f)).startsWith("output to pod default/web-1 (port ");
    }
  }

  @Test
  void crossNodeLeavesByGeneveWithTheInnerPacketRewritten() {
    String f = "cross-node-tcp.txt";
    Outcome o = classify(f, "node1");
    assertThat(o.kind()).as(why(f)).isEqualTo(Outcome.Kind.TUNNEL);
    Outcome.Tunnel t = o.tunnel().orElseThrow();
    assertThat(t.type()).as(why(f)).isEqualTo("geneve");
    assertThat(t.remoteIp()).as(why(f)).isEqualTo("172.31.3.12");
    assertThat(t.localIp()).as(why(f)).isEqualTo("172.31.3.11");
    assertThat(t.portName()).as(why(f)).isEqualTo("ovn-node2-0");
    assertThat(t.vni()).as(why(f)).isPositive();
    assertThat(t.geneveOptions()).as(why(f)).hasSize(1);
    assertThat(t.geneveOptions().get(0).isOvn()).as(why(f)).isTrue();
    PacketHeaders inner = t.inner().orElseThrow();
    // routed by ovn_cluster_router: TTL decremented, MACs of node2's switch
    assertThat(inner.ttl()).as(why(f)).isEqualTo(63);
    assertThat(inner.srcMac().orElseThrow().toString()).as(why(f)).isEqualTo("0a:58:0a:f4:02:01");
    assertThat(inner.dstMac().orElseThrow().toString()).as(why(f)).isEqualTo("0a:58:0a:f4:02:03");
    assertThat(IpLiteral.format(inner.dst())).as(why(f)).isEqualTo("10.244.2.3");
    assertThat(inner.dstPort()).as(why(f)).isEqualTo(80);
    assertThat(t.innerFlow()).as(why(f)).contains("nw_ttl=63").contains("tcp_dst=80");
  }

  @Test
  void anUnresolvedUnderlayNeighbourStillShowsTheTunnel() {
    String f = "cross-node-tcp-neighbor-miss.txt";
    DpifPorts dpif = DpifPorts.parse(read("dpif-show-node1.txt"));
    OutcomeClassifier.Result r =
        OutcomeClassifier.classify(
            TraceOutputParser.parse(read(f)),
            dpif,
            PortDirectory.of(FixtureRows.interfaces("interfaces-node1.json"), dpif),
            "br-int");
    Outcome o = r.outcome();
    assertThat(o.kind()).as(why(f)).isEqualTo(Outcome.Kind.TUNNEL);
    Outcome.Tunnel t = o.tunnel().orElseThrow();
    Outcome.Tunnel resolved = classify("cross-node-tcp.txt", "node1").tunnel().orElseThrow();
    assertThat(t.remoteIp()).as(why(f)).isEqualTo(resolved.remoteIp());
    assertThat(t.vni()).as(why(f)).isEqualTo(resolved.vni());
    assertThat(t.geneveOptions()).as(why(f)).isEqualTo(resolved.geneveOptions());
    assertThat(t.ofport()).as(why(f)).isEqualTo(resolved.ofport());
    assertThat(t.inner()).as(why(f)).isEqualTo(resolved.inner());
    assertThat(r.findings())
        .as(why(f))
        .extracting(TraceFinding::code)
        .contains("tunnel-neighbor-unresolved");
  }

  @Test
  void crossNodeIcmpKeepsTypeAndCode() {
    String f = "cross-node-icmp.txt";
    Outcome o = classify(f, "node1");
    assertThat(o.kind()).as(why(f)).isEqualTo(Outcome.Kind.TUNNEL);
    PacketHeaders inner = o.tunnel().orElseThrow().inner().orElseThrow();
    assertThat(inner.protocol()).as(why(f)).isEqualTo(L4Protocol.ICMP);
    assertThat(inner.icmpType()).as(why(f)).isEqualTo(8);
  }

  @Test
  void tunnelIngressOnTheDestinationReachesThePod() {
    String f = "tunnel-ingress-tcp.txt";
    Outcome o = classify(f, "node2");
    assertThat(o.kind()).as(why(f)).isEqualTo(Outcome.Kind.LOCAL_POD);
    assertThat(o.pod()).as(why(f)).contains(new PodName("default", "web-2"));
  }

  @Test
  void policyDropNamesTheLastTableAndCookie() {
    String f = "policy-drop-same-node.txt";
    Outcome o = classify(f, "node1");
    assertThat(o.kind()).as(why(f)).isEqualTo(Outcome.Kind.DROPPED);
    Outcome.Drop d = o.drop().orElseThrow();
    assertThat(d.table()).as(why(f)).isEqualTo(46);
    assertThat(d.cookie()).as(why(f)).matches("0x[0-9a-f]+");
    assertThat(d.reason()).as(why(f)).contains("drops");
  }

  @Test
  void loadBalancerStopsAtTheHashRecirculation() {
    String f = "lb-vip-tcp.txt";
    Outcome o = classify(f, "node1");
    assertThat(o.kind()).as(why(f)).isEqualTo(Outcome.Kind.RECIRCULATION);
    assertThat(o.recirculation())
        .as(why(f))
        .startsWith("hash(l4(0)),recirc(0x")
        .contains("load balancer");
  }

  @Test
  void ovsModeTunnelAndDrop() {
    DpifPorts dpif = DpifPorts.parse(read("dpif-show-node1-ovs-mode.txt"));
    String f = "ovs-mode-tunnel.txt";
    Outcome o =
        OutcomeClassifier.classify(TraceOutputParser.parse(read(f)), dpif, Map.of(), "br-trfx")
            .outcome();
    assertThat(o.kind()).as(why(f)).isEqualTo(Outcome.Kind.TUNNEL);
    assertThat(o.tunnel().orElseThrow().type()).as(why(f)).isEqualTo("vxlan");
    assertThat(o.tunnel().orElseThrow().vni()).as(why(f)).isEqualTo(0x64);
    assertThat(o.tunnel().orElseThrow().remoteIp()).as(why(f)).isEqualTo("172.31.3.12");
    assertThat(o.tunnel().orElseThrow().inner().orElseThrow().ttl()).as(why(f)).isEqualTo(64);
    f = "ovs-mode-drop.txt";
    o =
        OutcomeClassifier.classify(TraceOutputParser.parse(read(f)), dpif, Map.of(), "br-trfx")
            .outcome();
    assertThat(o.kind()).as(why(f)).isEqualTo(Outcome.Kind.DROPPED);
    assertThat(o.drop().orElseThrow().table()).as(why(f)).isZero();
    assertThat(o.drop().orElseThrow().cookie()).as(why(f)).isEmpty();
  }

  @Test
  void multipleOutputsAreSummarised() {
    ParsedTrace t =
        TraceOutputParser.parse(
            """
            Flow: tcp,in_port=1

            bridge("br-int")
            ----------------
             0. priority 0
                NORMAL

            Final flow: unchanged
            Megaflow: x
            Datapath actions: 6,7,4,userspace(pid=0,controller(reason=1))
            """);
    DpifPorts dpif = DpifPorts.parse(read("dpif-show-node1.txt"));
    Map<String, PortInfo> ports =
        PortDirectory.of(FixtureRows.interfaces("interfaces-node1.json"), dpif);
    Outcome o = OutcomeClassifier.classify(t, dpif, ports, "br-int").outcome();
    assertThat(o.kind()).isEqualTo(Outcome.Kind.MULTIPLE);
    assertThat(o.parts())
        .extracting(Outcome::kind)
        .containsExactly(
            Outcome.Kind.LOCAL_POD,
            Outcome.Kind.LOCAL_POD,
            Outcome.Kind.HOST,
            Outcome.Kind.CONTROLLER);
  }
}
