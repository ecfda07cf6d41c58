package io.podpath.aggregator.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a user reads when an agent call fails: the agent's own reason, and the next step. */
class AgentCallWordsTest {
  private static final AgentAddress NODE1 = new AgentAddress("node1", "172.31.9.11", 9443);

  private static String words(Status s) {
    return AgentCallWords.describe(
        "node1", NODE1, "Probe", s, s.asRuntimeException(), Duration.ofSeconds(5));
  }

  @Test
  void anAgentsPolicyRefusalIsItsOwnReasonNotACertificateProblem() {
    String w =
        words(
            Status.PERMISSION_DENIED.withDescription(
                "destination 10.96.0.10 is outside the cluster as node1 sees it"));
    assertThat(w)
        .isEqualTo(
            "agent on node1 (172.31.9.11:9443) Probe: refused: destination 10.96.0.10 is outside"
                + " the cluster as node1 sees it")
        .doesNotContain("TLS")
        .doesNotContain("certificate");
  }

  @Test
  void anUnauthenticatedCallPointsAtTheCertificates() {
    assertThat(words(Status.UNAUTHENTICATED))
        .contains("refused the connection's TLS identity")
        .contains("same CA");
  }

  @Test
  void noCodeNameReachesTheUser() {
    for (Status.Code c : Status.Code.values()) {
      if (c != Status.Code.OK) {
        assertThat(words(Status.fromCode(c))).as(c.name()).doesNotContain(c.name());
      }
    }
  }
}
