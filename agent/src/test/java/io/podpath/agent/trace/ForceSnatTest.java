package io.podpath.agent.trace;

import static io.podpath.agent.trace.TraceFixtures.read;
import static io.podpath.agent.trace.TraceFixtures.why;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An outside host's packet to node1's NodePort on OVN-Kubernetes' shared gateway, continued past
 * GR_node1's load balancer to each backend, recorded by hack/fixtures/trace-shared-gateway.sh with
 * the Southbound rows. The load balancer's flow sets flags.force_snat_for_lb; the recorded
 * continuation, which enters GR_node1 again by the patch from the outside switch, leaves it towards
 * join without that flag (no SNAT in its datapath actions), while GR_node1's lr_out_snat SNATs such
 * packets to its join address.
 */
class ForceSnatTest {
  private static final String DIR = "shared-gateway/";
  private static final String STOP = DIR + "nodeport-tcp-node1.txt";
  private static final String JOIN_IP = "100.64.0.2";

  private static OvnLink.Session session(String dir) {
    return new OvnLink.Session(
        FixtureRows.tables(dir, false),
        FixtureRows.southbound(dir),
        Optional.empty(),
        Duration.ofSeconds(5));
  }

  private static String continued(String pod) {
    return DIR + "nodeport-tcp-node1-continued-" + pod + ".txt";
  }

  /** The continued packet: the outside source (the final flow's), DNATed to the backend. */
  private static PacketHeaders packet(ParsedTrace cont) {
    FlowFields f = FlowFields.parse(cont.passes().get(0).finalFlow());
    return new PacketHeaders(
        ip(f.fields().getOrDefault("nw_src", "")),
        ip(f.fields().getOrDefault("nw_dst", "")),
        L4Protocol.TCP,
        40000,
        80,
        0,
        0,
        Optional.empty(),
        Optional.empty(),
        64);
  }

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theGatewayRoutersLoadBalancerForcesSnatToTheJoinAddressForEveryBackend() {
    OvnLink.Session s = session(DIR);
    List<DecodedStep> stop = s.decodeSteps(TraceOutputParser.parse(read(STOP)));
    for (String pod : List.of("web-1", "web-2")) {
      String file = continued(pod);
      ParsedTrace cont = TraceOutputParser.parse(read(file));
      // what ofproto/trace shows by itself: GR_node1 lets the packet go without the SNAT
      assertThat(read(file)).as(why(file)).doesNotContain("nat(src=" + JOIN_IP + ")");
      ForceSnat.Snat snat =
          s.forceSnat(stop, s.decodeSteps(cont), packet(cont))
              .orElseThrow(() -> new AssertionError(pod));
      assertThat(snat.router()).as(why(file)).isEqualTo("GR_node1");
      assertThat(snat.outport()).as(why(file)).isEqualTo("rtoj-GR_node1");
      assertThat(snat.address()).as(why(file)).isEqualTo(ip(JOIN_IP));
      assertThat(snat.lbFlow()).contains("lr_in_dnat", "flags.force_snat_for_lb = 1;");
      assertThat(snat.snatFlow())
          .contains("lr_out_snat", "outport == \"rtoj-GR_node1\"", "ct_snat(" + JOIN_IP + ")");
    }
  }

  @Test
  void theTunnelCarriesTheSnattedPacketToTheBackendsNode() {
    String file = continued("web-2");
    ParsedTrace cont = TraceOutputParser.parse(read(file));
    DpifPorts dpif = DpifPorts.parse(read(DIR + "dpif-show-node1.txt"));
    Map<String, PortInfo> ports =
        PortDirectory.of(FixtureRows.interfaces(DIR + "interfaces-node1.json"), dpif);
    Outcome o = OutcomeClassifier.classify(cont, dpif, ports, "br-int").outcome();
    assertThat(o.kind()).as(why(file)).isEqualTo(Outcome.Kind.TUNNEL);
    PacketHeaders sent = packet(cont);
    assertThat(o.tunnel().orElseThrow().inner().orElseThrow().src()).isEqualTo(sent.src());
    OvnLink.Session s = session(DIR);
    List<DecodedStep> steps = s.decodeSteps(cont);
    NodeTraceResult before =
        new NodeTraceResult(
            "node1",
            "br-int",
            "",
            steps,
            cont.finalFlow(),
            cont.datapathActions(),
            o,
            "",
            List.of(),
            "",
            Optional.empty(),
            List.of());
    ForceSnat.Snat snat =
        s.forceSnat(s.decodeSteps(TraceOutputParser.parse(read(STOP))), steps, sent).orElseThrow();
    NodeTraceResult after = ForceSnat.apply(before, snat, sent);
    Outcome.Tunnel t = after.outcome().tunnel().orElseThrow();
    assertThat(t.inner().orElseThrow().src()).isEqualTo(ip(JOIN_IP));
    assertThat(t.inner().orElseThrow().dst()).isEqualTo(sent.dst());
    assertThat(t.innerFlow()).contains("nw_src=" + JOIN_IP + ",");
    assertThat(after.findings()).extracting(TraceFinding::code).containsExactly("lb-force-snat");
    assertThat(after.findings().get(0).message())
        .contains("GR_node1", "rtoj-GR_node1", sent.src().getHostAddress() + " -> " + JOIN_IP);
  }

  /** A logical switch's load balancer (pod → Service, hairpinned) forces no SNAT. */
  @Test
  void aSwitchLoadBalancerForcesNothing() {
    OvnLink.Session s = session("");
    ParsedTrace cont = TraceOutputParser.parse(read("lb-hairpin-continued.txt"));
    assertThat(
            s.forceSnat(
                s.decodeSteps(TraceOutputParser.parse(read("lb-hairpin-stop.txt"))),
                s.decodeSteps(cont),
                packet(cont)))
        .isEmpty();
  }
}
