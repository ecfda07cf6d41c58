package io.podpath.aggregator.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.model.IpProtocol;
import io.podpath.proto.v1.DropInfo;
import io.podpath.proto.v1.TraceOutcome;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A drop with a cause code (the tunnel's MTU budget) names its cause, not "table 0". */
class TooBigSummaryTest {
  /**
   * The forward of client-1 → web-2 when node1's agent drops it with {@code why} ({@code code}).
   */
  private static DirectionResult droppedOnNode1(String why, String code) throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r ->
                    FakeAgents.outcome(
                        TraceOutcome.newBuilder()
                            .setKind(TraceOutcome.Kind.KIND_DROPPED)
                            .setSummary(why)
                            .setDrop(DropInfo.newBuilder().setReason(why).setCauseCode(code))));
    return new TracePlanner(TracePlannerTest.inventory(), agents)
        .trace(TracePlannerTest.query("default/client-1", "default/web-2", IpProtocol.ICMP, 0))
        .endpoints()
        .get(0)
        .forward();
  }

  @Test
  void aTunnelBudgetDropSaysTheArithmetic() throws IOException {
    String why = "1443 + 58 Geneve > 1500 on node1 br-phy: the encapsulated packet does not fit";
    DirectionResult fwd = droppedOnNode1(why, "too-big");
    assertThat(fwd.verdict()).isEqualTo(Verdict.DROPPED);
    assertThat(fwd.summary()).endsWith("dropped on node1: " + why).doesNotContain("table 0");
  }

  @Test
  void aKernelCauseThatNamesItsNodeIsSaidOnce() throws IOException {
    String why = "dropped on node1 by iptables filter INPUT #1: -A INPUT -p icmp -j DROP";
    assertThat(droppedOnNode1(why, "rule-drop").summary())
        .endsWith("10.244.2.3: " + why)
        .doesNotContain("dropped on node1: dropped on node1");
  }
}
