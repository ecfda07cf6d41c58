package io.podpath.agent.trace;

import static io.podpath.agent.trace.TraceFixtures.read;
import static io.podpath.agent.trace.TraceFixtures.why;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ovsdb.OvsState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An outside host's SYN to node2's NodePort of an externalTrafficPolicy Local Service that has no
 * endpoint on node2, on OVN-Kubernetes' shared gateway (recorded by
 * hack/fixtures/trace-etp-local.sh): GR_node2's load balancer holds the VIP without a backend and
 * OVN rejects it in ovn-controller. The trace's controller() action becomes a drop naming that load
 * balancer and its Service.
 */
class LbRejectTest {
  private static final String DIR = "shared-gateway-etp/";
  private static final String TRACE = DIR + "nodeport-no-endpoint-node2.txt";
  private static final OvsState NODE2_OVS =
      new OvsState(
          new OvsState.OvsSystem("", "", Map.of("ovn-remote", "tcp:172.31.61.2:6642"), List.of()),
          List.of(),
          List.of(),
          List.of());

  private static Outcome classified(ParsedTrace p) {
    DpifPorts dpif = DpifPorts.parse(read(DIR + "dpif-show-node2.txt"));
    return OutcomeClassifier.classify(
            p,
            dpif,
            PortDirectory.of(FixtureRows.interfaces(DIR + "interfaces-node2.json"), dpif),
            "breth0")
        .outcome();
  }

  private static Outcome explained(boolean withNb) {
    ParsedTrace p = TraceOutputParser.parse(read(TRACE));
    List<TraceFinding> findings = new ArrayList<>();
    OvnLink.Session s =
        new OvnLink(r -> FixtureRows.tables(DIR, withNb))
            .open(NODE2_OVS, Duration.ofSeconds(1), findings)
            .orElseThrow();
    return s.explainStop(classified(p), s.decodeSteps(p), p);
  }

  @Test
  void theControllerActionIsTheRejectOfAVipWithoutBackend() {
    assertThat(classified(TraceOutputParser.parse(read(TRACE))).kind())
        .as(why(TRACE))
        .isEqualTo(Outcome.Kind.CONTROLLER);
    for (boolean withNb : List.of(true, false)) {
      Outcome o = explained(withNb);
      assertThat(o.kind()).as(why(TRACE)).isEqualTo(Outcome.Kind.DROPPED);
      Outcome.Drop d = o.drop().orElseThrow();
      assertThat(d.causeCode()).isEqualTo(LbReject.CAUSE);
      assertThat(d.logicalFlow().orElseThrow().stage()).contains("lr_in_dnat");
      assertThat(d.reason())
          .as("with the NB: %s", withNb)
          .startsWith("rejected by OVN load balancer ")
          .contains("on GR_node2")
          .contains("VIP 172.31.61.12:30081 has no backend")
          .contains("a TCP reset");
      // the Southbound copies only switches' load balancers: GR_node2's is named by the NB alone
      if (withNb) {
        assertThat(d.reason())
            .contains(
                "Service_default/web-local_TCP_node_router_node2 (Service default/web-local)");
      } else {
        assertThat(d.reason()).contains("its Northbound row, which names it, is out of reach");
      }
      assertThat(o.summary()).contains(d.reason());
    }
  }

  @Test
  void otherOutcomesAreLeftAsTheyWere() {
    ParsedTrace p = TraceOutputParser.parse(read(TRACE));
    Outcome dropped = Outcome.simple(Outcome.Kind.DROPPED, "dropped");
    assertThat(LbReject.explain(dropped, List.of(), p)).isSameAs(dropped);
    // a controller action whose flow is unknown (no OVN rows) stays a controller outcome
    Outcome c = classified(p);
    List<DecodedStep> bare =
        p.steps().stream().map(s -> new DecodedStep(s, java.util.Optional.empty())).toList();
    assertThat(LbReject.explain(c, bare, p)).isSameAs(c);
  }
}
