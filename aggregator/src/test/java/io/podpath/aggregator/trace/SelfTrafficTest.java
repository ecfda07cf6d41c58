package io.podpath.aggregator.trace;

import static io.podpath.aggregator.trace.FakeAgents.dropped;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.model.IpProtocol;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A pod sending to its own address: the pod's kernel delivers it through its loopback, so the trace
 * is DELIVERED inside the pod without asking OVS (whose trace of such a packet ends in OVN's
 * loopback drop, table 41 — what podpath used to report while a real packet got through). The
 * real-packet comparison is {@code SelfTrafficSandboxTest}.
 */
class SelfTrafficTest {
  @Test
  void aPodToItsOwnAddressIsDeliveredInsideThePodWithoutAnOvsTrace() throws IOException {
    // Were OVS asked, it would drop the packet in the loopback table, as ofproto/trace does.
    FakeAgents agents = new FakeAgents().on("node1", r -> dropped(41, "", ""));

    TraceReport report =
        new TracePlanner(TracePlannerTest.inventory(), agents)
            .trace(TracePlannerTest.query("default/web-1", "default/web-1", IpProtocol.TCP, 80));

    EndpointResult ep = report.endpoints().get(0);
    assertThat(ep.forward().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(ep.forward().summary())
        .isEqualTo(
            "podpath trace indicates success from default/web-1 10.244.1.3:40000 to default/web-1"
                + " 10.244.1.3:80 inside the pod's own network stack on node1");
    assertThat(ep.forward().hops()).isEmpty();
    assertThat(ep.forward().notes()).anyMatch(n -> n.contains("loopback"));
    assertThat(ep.reply().orElseThrow().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(ep.reply().get().packet().srcPort()).isEqualTo(80);
    assertThat(agents.calls).isEmpty();
  }

  @Test
  void anotherPodOnTheSameNodeIsStillTracedThroughOvs() throws IOException {
    FakeAgents agents = new FakeAgents().on("node1", r -> dropped(41, "", ""));

    TraceReport report =
        new TracePlanner(TracePlannerTest.inventory(), agents)
            .trace(TracePlannerTest.query("default/client-1", "default/web-1", IpProtocol.TCP, 80));

    assertThat(report.endpoints().get(0).forward().verdict()).isEqualTo(Verdict.DROPPED);
    assertThat(agents.calls).isNotEmpty();
  }

  /**
   * The load balancer picked the sender itself: the aggregator asks the sender's node to continue
   * the stopped trace as its group bucket for that backend does (the VIP stays the destination, the
   * backend is named), and the continuation's delivery back into the pod is DELIVERED. A plain
   * DNATed re-trace (which ends in OVN's loopback drop) is never asked for.
   */
  @Test
  void aServiceThatPicksTheSenderItselfIsContinuedPastTheLoadBalancerAndDelivered()
      throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r ->
                    r.hasLbBackend()
                        ? FakeAgents.toPod("default", "web-1")
                        : r.getPacket().getDstIp().equals("10.244.1.3")
                            ? dropped(41, "", "")
                            : FakeAgents.recirc("hash(l4(0)),recirc(0x12)"));

    EndpointResult self = selfEndpoint(agents);
    assertThat(self.forward().verdict()).as(self.forward().summary()).isEqualTo(Verdict.DELIVERED);
    assertThat(self.forward().notes())
        .anyMatch(n -> n.contains("picked the sending pod itself"))
        .anyMatch(n -> n.contains("hairpinned"));
    var continued = agents.requests("node1", r -> r.hasLbBackend());
    assertThat(continued).isNotEmpty();
    assertThat(continued.get(0).getLbBackend().getIp()).isEqualTo("10.244.1.3");
    assertThat(continued.get(0).getLbBackend().getPort()).isEqualTo(80);
    assertThat(continued.get(0).getPacket().getDstIp()).isEqualTo("10.96.0.10");
    assertThat(agents.requests("node1", r -> r.getPacket().getDstIp().equals("10.244.1.3")))
        .as("no plain DNATed re-trace of the hairpin")
        .isEmpty();
    assertThat(self.reply().orElseThrow().verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(self.reply().get().summary()).contains("hairpinned");
  }

  /** The continuation's own drop is the packet's fate: DROPPED, not excused as a hairpin. */
  @Test
  void aHairpinWhoseContinuationDropsIsDropped() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r ->
                    r.hasLbBackend()
                        ? dropped(41, "", "")
                        : FakeAgents.recirc("hash(l4(0)),recirc(0x12)"));

    EndpointResult self = selfEndpoint(agents);
    assertThat(self.forward().verdict()).isEqualTo(Verdict.DROPPED);
  }

  /** An agent that does not continue (answers the stop again) leaves the endpoint INCONCLUSIVE. */
  @Test
  void aHairpinTheAgentDoesNotContinueIsInconclusive() throws IOException {
    FakeAgents agents =
        new FakeAgents().on("node1", r -> FakeAgents.recirc("hash(l4(0)),recirc(0x12)"));

    EndpointResult self = selfEndpoint(agents);
    assertThat(self.forward().verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(self.forward().summary()).contains("recirculation");
  }

  private static EndpointResult selfEndpoint(FakeAgents agents) throws IOException {
    return new TracePlanner(TracePlannerTest.inventory(), agents)
            .trace(TracePlannerTest.query("default/web-1", "svc/default/web", IpProtocol.TCP, 80))
            .endpoints()
            .stream()
            .filter(e -> e.ip().equals("10.244.1.3"))
            .findFirst()
            .orElseThrow();
  }
}
