package io.podpath.aggregator.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.LiveTrace;
import io.podpath.proto.v1.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of several live exchanges speaks for the trace (its points are the ones shown). */
class LiveTracerWorstTest {
  private static LiveTrace round(Verdict v, String outcome, boolean disagrees) {
    return LiveTrace.newBuilder()
        .setLiveVerdict(v)
        .setOutcome(outcome)
        .setDisagrees(disagrees)
        .build();
  }

  private static final LiveTrace REPLIED = round(Verdict.VERDICT_DELIVERED, "REPLIED", false);
  private static final LiveTrace UNANSWERED = round(Verdict.VERDICT_DELIVERED, "DELIVERED", false);
  private static final LiveTrace LOST = round(Verdict.VERDICT_DROPPED, "LOST after x", false);
  private static final LiveTrace DISAGREES = round(Verdict.VERDICT_DROPPED, "LOST after y", true);

  @Test
  void theFirstDisagreementElseTheFirstLossElseTheFirstUnansweredElseTheFirst() {
    assertThat(LiveTracer.worst(List.of(REPLIED, REPLIED))).isZero();
    assertThat(LiveTracer.worst(List.of(REPLIED, UNANSWERED, UNANSWERED))).isEqualTo(1);
    assertThat(LiveTracer.worst(List.of(REPLIED, UNANSWERED, LOST, LOST))).isEqualTo(2);
    assertThat(LiveTracer.worst(List.of(LOST, REPLIED, DISAGREES, DISAGREES))).isEqualTo(2);
  }
}
