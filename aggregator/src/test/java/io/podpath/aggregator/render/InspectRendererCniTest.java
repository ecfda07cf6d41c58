package io.podpath.aggregator.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.PodRef;
import org.junit.jupiter.api.Test;

/** inspect shows the CNI profile the agent found the pod's port with. */
class InspectRendererCniTest {
  private static final PodInspection SDN =
      PodInspection.newBuilder()
          .setPod(PodRef.newBuilder().setNamespace("blue").setName("client-1"))
          .setNode("node1")
          .setBridge("br0")
          .setCni("openshift-sdn")
          .build();

  @Test
  void textAndJsonNameTheCni() {
    assertThat(InspectRenderer.render(SDN, OutputFormat.text, false, Style.PLAIN))
        .containsPattern("cni\\s+openshift-sdn");
    assertThat(InspectRenderer.render(SDN, OutputFormat.json, false, Style.PLAIN))
        .contains("\"cni\"")
        .contains("\"openshift-sdn\"");
  }

  @Test
  void anAnswerWithoutACniShowsNoCniLine() {
    PodInspection old = SDN.toBuilder().clearCni().build();
    assertThat(InspectRenderer.render(old, OutputFormat.text, false, Style.PLAIN))
        .doesNotContain("cni");
  }
}
