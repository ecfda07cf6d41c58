package io.podpath.aggregator.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.aggregator.api.InvalidRequestException;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The live fields: the mark chosen before the model traces, and what a live trace refuses. */
class LiveRequestsTest {
  private static final Endpoint POD =
      Endpoint.newBuilder()
          .setPod(PodRef.newBuilder().setNamespace("default").setName("client-1"))
          .build();

  private static TraceRequest.Builder live() {
    return TraceRequest.newBuilder()
        .setSource(POD)
        .setDestination(POD)
        .setProtocol(Protocol.PROTOCOL_TCP)
        .setDstPort(80)
        .setLive(true);
  }

  @Test
  void aLiveTraceGetsItsOwnSourcePortUnlessOneIsGiven() {
    int port = LiveRequests.withMark(live().build()).getSrcPort();
    assertThat(port).isBetween(40_001, 60_000);
    assertThat(LiveRequests.withMark(live().setSrcPort(1234).build()).getSrcPort()).isEqualTo(1234);
    assertThat(LiveRequests.withMark(live().setLive(false).build()).getSrcPort()).isZero();
  }

  @Test
  void icmpAndNodeSourcesAreSentLive() {
    TraceRequest icmp = LiveRequests.withMark(live().setProtocol(Protocol.PROTOCOL_ICMP).build());
    assertThat(icmp.getSrcPort()).as("the echo identifier is not the model's").isZero();
    TraceRequest node =
        LiveRequests.withMark(
            live()
                .setSource(
                    Endpoint.newBuilder()
                        .setNode(io.podpath.proto.v1.NodeTarget.newBuilder().setName("node1")))
                .build());
    assertThat(node.getSrcPort()).isBetween(40_001, 60_000);
  }

  @Test
  void sctpIsSentLiveAsOneInitMarkedByItsSourcePort() {
    TraceRequest sctp = LiveRequests.withMark(live().setProtocol(Protocol.PROTOCOL_SCTP).build());
    assertThat(sctp.getSrcPort()).as("the model traces the INIT's port").isBetween(40_001, 60_000);
  }

  @Test
  void whatALiveTraceCannotSendIsRefusedNamingTheField() {
    assertThatThrownBy(
            () -> LiveRequests.withMark(live().setProtocol(Protocol.PROTOCOL_UNSPECIFIED).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("live");
    assertThatThrownBy(
            () ->
                LiveRequests.withMark(
                    live().setSource(Endpoint.newBuilder().setIp("10.0.0.1")).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("pod");
    assertThatThrownBy(() -> LiveRequests.withMark(live().setLiveTimeoutMillis(50).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("live_timeout_millis");
    assertThatThrownBy(
            () -> LiveRequests.withMark(live().setLive(false).setLiveTimeoutMillis(500).build()))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(LiveRequests.timeout(live().build())).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theCountIsABurstOfOneToTenWithLiveOnly() {
    assertThat(LiveRequests.count(live().build())).isEqualTo(1);
    assertThat(LiveRequests.count(live().setLiveCount(10).build())).isEqualTo(10);
    assertThatThrownBy(() -> LiveRequests.withMark(live().setLiveCount(11).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("live_count")
        .hasMessageContaining("1-10");
    // uint32 on the wire: 2^31 and above arrive negative in Java, and are refused all the same
    assertThatThrownBy(() -> LiveRequests.withMark(live().setLiveCount(-1).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("4294967295");
    assertThatThrownBy(() -> LiveRequests.withMark(live().setLive(false).setLiveCount(3).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("live_count");
  }
}
