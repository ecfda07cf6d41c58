package io.podpath.agent.trace;

import static io.podpath.agent.trace.TraceFixtures.read;
import static io.podpath.agent.trace.TraceFixtures.why;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ip.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The continuation past a load balancer's backend choice, on output recorded from the sandbox by
 * hack/fixtures/lb-hairpin.sh: web-1 to its own Service's VIP stops at the select group; the
 * group's bucket for web-1 gives the conntrack commit; the continuation built from them is what was
 * traced, and it hairpins back into web-1's port with SNAT to the VIP.
 */
class LbContinuationTest {
  private static final String STOP = "lb-hairpin-stop.txt";
  private static final String GROUP = "lb-hairpin-group.txt";
  private static final String CONTINUED = "lb-hairpin-continued.txt";

  private static LbBackend backend(String ip, int port) throws Exception {
    return new LbBackend(InetAddress.getByName(ip), port);
  }

  private static int group() {
    return LbContinuation.stoppedGroup(TraceOutputParser.parse(read(STOP))).orElseThrow();
  }

  @Test
  void theStoppedTraceNamesTheSelectGroupItEndedIn() {
    assertThat(read(GROUP)).as(why(GROUP)).contains("group_id=" + group() + ",type=select");
    // a trace that does not stop at a hash() has no group to continue from
    assertThat(LbContinuation.stoppedGroup(TraceOutputParser.parse(read("same-node-tcp.txt"))))
        .isEmpty();
  }

  @Test
  void theBucketForEachBackendGivesItsCommitAndMark() throws Exception {
    List<String> why = new ArrayList<>();
    LbContinuation.Bucket web1 =
        LbContinuation.bucket(read(GROUP), group(), backend("10.244.1.3", 80), why).orElseThrow();
    assertThat(web1.actions())
        .as(why(GROUP))
        .startsWith("ct(commit,")
        .contains("nat(dst=10.244.1.3:80)");
    assertThat(web1.ctMark()).as(why(GROUP)).isEqualTo(0x2);
    assertThat(web1.ctMarkMask()).as(why(GROUP)).isEqualTo(0x2);
    LbContinuation.Bucket web2 =
        LbContinuation.bucket(read(GROUP), group(), backend("10.244.2.3", 80), why).orElseThrow();
    assertThat(web2.actions()).as(why(GROUP)).contains("nat(dst=10.244.2.3:80)");
    assertThat(why).isEmpty();

    assertThat(LbContinuation.bucket(read(GROUP), group(), backend("10.244.1.3", 81), why))
        .isEmpty();
    assertThat(LbContinuation.bucket(read(GROUP), group() + 1, backend("10.244.1.3", 80), why))
        .isEmpty();
    assertThat(why).hasSize(2).allMatch(w -> w.contains("no bucket that DNATs to"));
  }

  @Test
  void theContinuationIsTheFlowThatWasTracedAndItHairpinsBackIntoTheSender() throws Exception {
    ParsedTrace stop = TraceOutputParser.parse(read(STOP));
    LbBackend web1 = backend("10.244.1.3", 80);
    LbContinuation.Bucket bucket =
        LbContinuation.bucket(read(GROUP), group(), web1, new ArrayList<>()).orElseThrow();
    PacketHeaders sent =
        new PacketHeaders(
            InetAddress.getByName("10.244.1.3"),
            InetAddress.getByName("10.96.0.10"),
            L4Protocol.TCP,
            40000,
            80,
            0,
            0,
            MacAddress.tryParse("0a:58:0a:f4:01:03"),
            MacAddress.tryParse("0a:58:0a:f4:01:01"),
            64);
    LbContinuation.Continued c = LbContinuation.continued(sent, web1, bucket, stop.finalFlow());
    assertThat(IpLiteral.format(c.packet().dst())).isEqualTo("10.244.1.3");
    assertThat(c.packet().dstPort()).isEqualTo(80);
    assertThat(c.fields())
        .containsEntry("ct_mark", "0x2")
        .containsEntry("ct_nw_src", "10.244.1.3")
        .containsEntry("ct_nw_dst", "10.96.0.10")
        .containsEntry("ct_nw_proto", "6")
        .containsEntry("ct_tp_src", "40000")
        .containsEntry("ct_tp_dst", "80")
        .containsKeys("reg1", "reg2", "metadata");

    // every field the agent fills in is in the flow the recorded continuation traced
    String traced = TraceOutputParser.parse(read(CONTINUED)).flow();
    TraceArgs args =
        FlowBuilder.build(
            new FlowRequest("br-int", 5, Optional.empty(), c.packet(), LbContinuation.ctNext()),
            c.fields());
    for (Map.Entry<String, String> e : c.fields().entrySet()) {
      if (!e.getKey().equals("ct_state")) {
        assertThat(traced).as(why(CONTINUED)).contains(e.getKey() + "=" + e.getValue());
      }
    }
    assertThat(traced).as(why(CONTINUED)).contains("ct_state=new|trk|dnat");
    assertThat(args.flow()).startsWith("ct_state=trk|new|dnat,ct_mark=0x2,");
    assertThat(args.params())
        .containsSubsequence("--ct-next", "trk,new,dnat", "--ct-next", "trk,new");

    // and what the recorded continuation does: OVN's hairpin check (it reads the ct_mark) matches,
    // the packet is SNATed to the VIP and leaves by web-1's own port
    ParsedTrace cont = TraceOutputParser.parse(read(CONTINUED));
    assertThat(cont.steps())
        .as(why(CONTINUED))
        .anyMatch(s -> s.match().contains("ct_mark=0x2/0x2"));
    assertThat(cont.datapathActions()).as(why(CONTINUED)).contains("nat(src=10.96.0.10)");
    DpifPorts dpif = DpifPorts.parse(read("lb-hairpin-dpif-show-node1.txt"));
    Outcome o =
        OutcomeClassifier.classify(
                cont,
                dpif,
                PortDirectory.of(FixtureRows.interfaces("lb-hairpin-interfaces-node1.json"), dpif),
                "br-int")
            .outcome();
    assertThat(o.kind()).as(why(CONTINUED)).isEqualTo(Outcome.Kind.LOCAL_POD);
    assertThat(o.pod()).as(why(CONTINUED)).contains(new PodName("default", "web-1"));
  }
}
