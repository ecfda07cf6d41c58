package io.podpath.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.aggregator.render.OutputFormat;
import io.podpath.aggregator.render.Style;
import io.podpath.aggregator.render.TraceRenderer;
import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The text's last line, the JSON {@code reached}/{@code outcome} fields and the exit code come from
 * one rule: a pod → outside trace routed out by the kernel is LEFT_CLUSTER, success everywhere.
 */
class TraceOutcomeAgreesTest {
  private static TraceResult one(Verdict v, boolean kernelForwarded, boolean toPod) {
    NodeTrace.Builder t = NodeTrace.newBuilder().setBridge("br-int");
    if (kernelForwarded) {
      t.setKernel(KernelHop.newBuilder().setResult(KernelHop.Result.RESULT_FORWARDED));
    }
    EndpointTrace.Builder e =
        EndpointTrace.newBuilder()
            .setEndpoint("ip:8.8.8.8")
            .setIp("8.8.8.8")
            .setForward(
                DirectionTrace.newBuilder()
                    .setVerdict(v)
                    .addNodes(NodeObservation.newBuilder().setNode("node1").setTrace(t)));
    if (toPod) {
      e.setPod(PodRef.newBuilder().setNamespace("default").setName("web-1"));
    }
    return TraceResult.newBuilder().addEndpoints(e).build();
  }

  record Case(TraceResult r, int exit, String sentence) {}

  @Test
  void textJsonAndExitCodeAgree() throws Exception {
    List<Case> cases =
        List.of(
            new Case(
                one(Verdict.VERDICT_DELIVERED, false, true), 0, "every forward packet delivered"),
            new Case(
                one(Verdict.VERDICT_LEFT_CLUSTER, true, false),
                0,
                "every forward packet reached its destination (routed out of the cluster)"),
            new Case(
                one(Verdict.VERDICT_LEFT_CLUSTER, false, false),
                1,
                "not every forward packet reached its destination"),
            new Case(
                one(Verdict.VERDICT_LEFT_CLUSTER, true, true),
                1,
                "not every forward packet reached its destination"),
            new Case(
                one(Verdict.VERDICT_DROPPED, true, true),
                1,
                "not every forward packet reached its destination"));
    for (Case c : cases) {
      String text = TraceRenderer.render(c.r(), OutputFormat.text, false, Style.PLAIN);
      JsonNode json =
          new ObjectMapper()
              .readTree(TraceRenderer.render(c.r(), OutputFormat.json, false, Style.PLAIN));
      assertThat(TraceExit.of(c.r())).as(c.sentence()).isEqualTo(c.exit());
      assertThat(text.strip().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo(c.sentence());
      assertThat(json.path("outcome").asText()).isEqualTo(c.sentence());
      assertThat(json.path("reached").asBoolean()).isEqualTo(c.exit() == 0);
    }
  }
}
