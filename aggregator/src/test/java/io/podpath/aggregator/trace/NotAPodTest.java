package io.podpath.aggregator.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.model.IpProtocol;
import io.podpath.proto.v1.TraceOutcome;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** An IP that is no pod's, which OVS sends to the controller, is said in words. */
class NotAPodTest {
  @Test
  void anUnknownPodSubnetAddressSaysItIsNoPod() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r ->
                    FakeAgents.outcome(
                        TraceOutcome.newBuilder()
                            .setKind(TraceOutcome.Kind.KIND_CONTROLLER)
                            .setSummary(
                                "sent to the OpenFlow controller by the flow with cookie"
                                    + " 0xa15926bc (the switch's slow path: the packet is not"
                                    + " forwarded by the datapath)")));

    DirectionResult fwd =
        new TracePlanner(TracePlannerTest.inventory(), agents)
            .trace(TracePlannerTest.query("default/client-1", "ip:10.244.2.99", IpProtocol.TCP, 80))
            .endpoints()
            .get(0)
            .forward();

    assertThat(fwd.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(fwd.summary())
        .contains("10.244.2.99 is the address of no pod podpath knows; on node1 the packet is sent")
        .doesNotContain("userspace(");
  }
}
