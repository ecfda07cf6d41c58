package io.podpath.aggregator.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podpath.proto.v1.LiveExchange;
import io.podpath.proto.v1.LiveTrace;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import org.junit.jupiter.api.Test;

/** --live --count N: every exchange listed and tallied, in text and JSON. */
class LiveRenderTest {
  private static LiveExchange ex(String mark, Verdict v, String outcome, boolean disagrees) {
    return LiveExchange.newBuilder()
        .setMark(mark)
        .setLiveVerdict(v)
        .setOutcome(outcome)
        .setDisagrees(disagrees)
        .setEndpoint("default/web-2 10.244.2.3:53")
        .build();
  }

  private static final LiveTrace THREE =
      LiveTrace.newBuilder()
          .setLiveVerdict(Verdict.VERDICT_DROPPED)
          .setDisagrees(true)
          .setOutcome("LOST after node1 eth0")
          .addExchanges(
              ex("udp 10.244.1.4:41000", Verdict.VERDICT_DROPPED, "LOST after node1 eth0", true))
          .addExchanges(ex("udp 10.244.1.4:52000", Verdict.VERDICT_DELIVERED, "REPLIED", false))
          .addExchanges(ex("udp 10.244.1.4:43000", Verdict.VERDICT_DELIVERED, "REPLIED", false))
          .build();

  @Test
  void everyExchangeIsListedAndTalliedInTheOrderOutcomesFirstAppear() {
    String text = LiveRender.text(TraceResult.newBuilder().setLive(THREE).build());
    assertThat(text)
        .contains("exchanges: 1 of 3 LOST after node1 eth0, 2 of 3 REPLIED")
        .containsSubsequence(
            "udp 10.244.1.4:41000",
            "DROPPED",
            "LOST after node1 eth0 (model-disagrees)",
            "udp 10.244.1.4:52000",
            "DELIVERED",
            "REPLIED",
            "udp 10.244.1.4:43000");
    ObjectNode json = LiveRender.json(THREE);
    assertThat(json.path("tally").asText())
        .isEqualTo("1 of 3 LOST after node1 eth0, 2 of 3 REPLIED");
    assertThat(json.path("exchanges").size()).isEqualTo(3);
    assertThat(json.path("exchanges").get(0).path("disagrees").asBoolean()).isTrue();
    assertThat(json.path("exchanges").get(1).path("outcome").asText()).isEqualTo("REPLIED");
  }

  @Test
  void oneExchangeShowsNoTally() {
    LiveTrace one = THREE.toBuilder().clearExchanges().build();
    assertThat(LiveRender.text(TraceResult.newBuilder().setLive(one).build()))
        .doesNotContain("exchanges:");
    assertThat(LiveRender.json(one).has("exchanges")).isFalse();
  }
}
