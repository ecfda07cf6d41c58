package io.podpath.aggregator.trace;

import static io.podpath.aggregator.trace.TracePlannerTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.IpProtocol;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Probe;
import io.podpath.testkit.ProbeResult;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The next node asked early, on real agents: a repeated cross-node trace uses the early answers,
 * gives what asking one node after the other gives, and agrees with real packets — also once a
 * NetworkPolicy on the destination's node drops the packet (the first node's request is the same,
 * the second node's answer is new).
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpeculationSandboxTest {
  private static final String SRC = "default/client-1";
  private static final String DST = "default/web-2";

  Sandbox sb;
  SandboxAggregator aggregator;

  @BeforeAll
  void start(Sandbox sandbox) {
    sb = sandbox;
    aggregator = SandboxAggregator.start(sandbox);
  }

  @AfterAll
  void stop() {
    if (aggregator != null) {
      aggregator.close();
    }
  }

  private static List<String> nodes(DirectionResult d) {
    return d.hops().stream().map(Hop::node).toList();
  }

  private static void sameAs(EndpointResult got, EndpointResult sequential) {
    assertThat(got.forward().verdict()).isEqualTo(sequential.forward().verdict());
    assertThat(got.forward().summary()).isEqualTo(sequential.forward().summary());
    assertThat(nodes(got.forward())).isEqualTo(nodes(sequential.forward()));
    assertThat(got.reply().orElseThrow().verdict())
        .isEqualTo(sequential.reply().orElseThrow().verdict());
    assertThat(nodes(got.reply().orElseThrow())).isEqualTo(nodes(sequential.reply().orElseThrow()));
    for (int i = 0; i < got.forward().hops().size(); i++) {
      assertThat(got.forward().hops().get(i).answer().outcome())
          .isEqualTo(sequential.forward().hops().get(i).answer().outcome());
    }
  }

  @Test
  void aRepeatedTraceAsksTheNextNodeEarlyAndAgreesWithRealPackets() throws Exception {
    TracePlanner planner = new TracePlanner(aggregator.inventory(), aggregator.agents());
    TraceQuery q = query(SRC, DST, IpProtocol.TCP, 80);

    EndpointResult first = planner.trace(q).endpoints().get(0);
    EndpointResult second = planner.trace(q).endpoints().get(0);
    assertThat(planner.speculationHits()).isEqualTo(2);
    assertThat(planner.speculationMisses()).isZero();
    ProbeResult real = sb.probe(SRC, DST, Probe.tcp(80));
    assertThat(real.delivered()).as(real.reason()).isTrue();
    assertThat(second.forward().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(nodes(second.forward())).containsExactly("node1", "node2");
    sameAs(second, first);

    sb.policyDenyIngress(DST);
    try {
      ProbeResult denied = sb.probe(SRC, DST, Probe.tcp(80));
      long hits = planner.speculationHits();
      EndpointResult early = planner.trace(q).endpoints().get(0);
      EndpointResult sequential = planner.trace(q, CallScope.unbounded(), false).endpoints().get(0);
      // node1 asked node2 with the same request as before the policy: the early call's answer
      // is node2's answer now, not the one it gave last time
      assertThat(planner.speculationHits()).isGreaterThan(hits);
      assertThat(denied.delivered()).as(denied.reason()).isFalse();
      assertThat(early.forward().verdict())
          .as(early.forward().summary())
          .isEqualTo(Verdict.DROPPED);
      sameAs(early, sequential);
    } finally {
      sb.clearPolicies();
    }
  }
}
