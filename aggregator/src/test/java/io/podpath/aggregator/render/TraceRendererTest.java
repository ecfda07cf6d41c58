package io.podpath.aggregator.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.OvnLogicalFlow;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TableStep;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceRendererTest {
  static TraceResult dropped() {
    NodeTrace t =
        NodeTrace.newBuilder()
            .setNode("node1")
            .setFlow("in_port=4,tcp,nw_src=10.244.1.4,nw_dst=10.244.1.3,tp_dst=80")
            .addSteps(
                TableStep.newBuilder()
                    .setTable(44)
                    .setPriority(2000)
                    .setCookie("0xabc")
                    .setMatch("ip")
                    .setActions("drop")
                    .setLogicalFlow(OvnLogicalFlow.newBuilder().setStage("ls_out_acl_eval")))
            .setDatapathActions("drop")
            .setRaw("Flow: ...\nbridge(\"br-int\")")
            .setOutcome(TraceOutcome.newBuilder().setKind(TraceOutcome.Kind.KIND_DROPPED))
            .build();
    DirectionTrace d =
        DirectionTrace.newBuilder()
            .setVerdict(Verdict.VERDICT_DROPPED)
            .setSummary("podpath trace indicates failure from a to b: dropped on node1 in table 44")
            .setDroppedNode("node1")
            .setPacket(
                Packet.newBuilder()
                    .setProtocol(Protocol.PROTOCOL_TCP)
                    .setSrcIp("10.244.1.4")
                    .setDstIp("10.244.1.3")
                    .setSrcPort(40000)
                    .setDstPort(80))
            .addNodes(
                NodeObservation.newBuilder()
                    .setNode("node1")
                    .setRole(NodeObservation.Role.ROLE_SOURCE_AND_DESTINATION)
                    .setTrace(t))
            .build();
    return TraceResult.newBuilder()
        .setSource("default/client-1")
        .setDestination("default/web-1")
        .addEndpoints(EndpointTrace.newBuilder().setIp("10.244.1.3").setPort(80).setForward(d))
        .build();
  }

  @Test
  void verboseTextAddsTheRawEvidence() {
    String plain = TraceRenderer.render(dropped(), OutputFormat.text, false, Style.PLAIN);
    String verbose = TraceRenderer.render(dropped(), OutputFormat.text, true, Style.PLAIN);

    assertThat(plain)
        .startsWith("forward  DROPPED  podpath trace indicates failure")
        .contains("packet tcp 10.244.1.4:40000 -> 10.244.1.3:80")
        .contains("node1 (source and destination)  dropped  [1 flow]")
        .doesNotContain("table=44");
    assertThat(verbose)
        .contains("flow: in_port=4,tcp")
        .contains("table=44 priority=2000 cookie=0xabc [ls_out_acl_eval] ip -> drop")
        .contains("datapath actions: drop")
        .contains("raw (ofproto/trace):")
        .contains("bridge(\"br-int\")");
  }

  @Test
  void colourOnlyOnATerminalAndNeverWithNoColor() {
    assertThat(Style.detect(Map.of(), true).color()).isTrue();
    assertThat(Style.detect(Map.of(), false).color()).isFalse();
    assertThat(Style.detect(Map.of("NO_COLOR", "1"), true).color()).isFalse();
    assertThat(Style.detect(Map.of("NO_COLOR", ""), true).color()).isTrue();
    String coloured = TraceRenderer.render(dropped(), OutputFormat.text, false, new Style(true));
    assertThat(coloured).contains("\u001b[31mDROPPED\u001b[0m");
  }

  @Test
  void jsonOmitsRawUnlessVerbose() throws Exception {
    var plain =
        TraceRenderer.Mappers.JSON.readTree(
            TraceRenderer.render(dropped(), OutputFormat.json, false, Style.PLAIN));
    var verbose =
        TraceRenderer.Mappers.JSON.readTree(
            TraceRenderer.render(dropped(), OutputFormat.json, true, Style.PLAIN));
    assertThat(plain.path("endpoints").get(0).path("forward").path("nodes").get(0).has("raw"))
        .isFalse();
    assertThat(
            verbose
                .path("endpoints")
                .get(0)
                .path("forward")
                .path("nodes")
                .get(0)
                .path("raw")
                .asText())
        .startsWith("Flow:");
    assertThat(
            plain
                .path("endpoints")
                .get(0)
                .path("forward")
                .path("nodes")
                .get(0)
                .path("steps")
                .get(0)
                .path("logicalFlow")
                .path("stage")
                .asText())
        .isEqualTo("ls_out_acl_eval");
    assertThat(plain.path("endpoints").get(0).has("reply")).isFalse();
  }
}
