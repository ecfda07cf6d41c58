package io.podpath.aggregator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.aggregator.trace.EndpointSpec;
import io.podpath.aggregator.trace.TraceQuery;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.NodeTarget;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceRequest;
import org.junit.jupiter.api.Test;

/** The whole-path fields of a Trace request (80-89) as the validator reads them. */
class RequestValidatorTest {
  private static final TraceRequest OK =
      TraceRequest.newBuilder()
          .setSource(
              Endpoint.newBuilder()
                  .setPod(PodRef.newBuilder().setNamespace("default").setName("client-1")))
          .setDestination(Endpoint.newBuilder().setNode(NodeTarget.newBuilder().setName("node2")))
          .setProtocol(Protocol.PROTOCOL_TCP)
          .setDstPort(22)
          .build();

  private static Endpoint node(String name, int port) {
    return Endpoint.newBuilder()
        .setNode(NodeTarget.newBuilder().setName(name).setPort(port))
        .build();
  }

  @Test
  void nodeEndpointsSizeAndDfBecomeTheQuery() {
    TraceQuery q =
        RequestValidator.trace(
            OK.toBuilder()
                .setDestination(node("node2", 30080))
                .setSize(1400)
                .setAllowFragmentation(true)
                .setIncludeConntrackEntries(true)
                .build());
    assertThat(q.destination()).isEqualTo(new EndpointSpec.Node("node2", 30080));
    assertThat(q.sizing()).isEqualTo(new TraceQuery.Sizing(1400, true));
    assertThat(q.includeConntrackEntries()).isTrue();
    assertThat(q.ingressNode()).isEmpty();
    assertThat(RequestValidator.trace(OK).sizing()).isEqualTo(TraceQuery.Sizing.DEFAULT);
  }

  @Test
  void anIngressNodeIsCarriedForAnOutsideSource() {
    TraceQuery q =
        RequestValidator.trace(
            OK.toBuilder()
                .setSource(Endpoint.newBuilder().setIp("203.0.113.7"))
                .setIngressNode("node2")
                .build());
    assertThat(q.ingressNode()).contains("node2");
    assertThatThrownBy(
            () ->
                RequestValidator.trace(
                    OK.toBuilder()
                        .setSource(Endpoint.newBuilder().setIp("203.0.113.7"))
                        .setIngressNode("Node_2")
                        .build()))
        .hasMessageStartingWith("ingress_node: 'Node_2' is not a DNS-1123 subdomain");
  }

  @Test
  void ipFamilyIsCarriedAndAnIpLiteralDecidesItsOwn() {
    assertThat(RequestValidator.trace(OK).ipFamily()).isEmpty();
    assertThat(RequestValidator.trace(OK.toBuilder().setIpFamily(6).build()).ipFamily())
        .hasValue(6);
    assertThatThrownBy(() -> RequestValidator.trace(OK.toBuilder().setIpFamily(5).build()))
        .hasMessageStartingWith("ip_family: 5 is not 4 or 6");
    TraceRequest toV4 =
        OK.toBuilder().setDestination(Endpoint.newBuilder().setIp("10.244.2.3")).build();
    assertThatThrownBy(() -> RequestValidator.trace(toV4.toBuilder().setIpFamily(6).build()))
        .hasMessage("ip_family: IPv6 contradicts ip:10.244.2.3, which decides its own");
    assertThat(RequestValidator.trace(toV4.toBuilder().setIpFamily(4).build()).ipFamily())
        .hasValue(4);
  }

  @Test
  void theWiresZeroSourcePortIsNoneSoThePlannerPicks() {
    TraceQuery unset = RequestValidator.trace(OK);
    assertThat(unset.srcPort()).isEmpty();
    assertThat(unset.effectiveSrcPort()).isEqualTo(TraceQuery.DEFAULT_SRC_PORT);
    TraceQuery given = RequestValidator.trace(OK.toBuilder().setSrcPort(5555).build());
    assertThat(given.srcPort()).hasValue(5555);
    assertThat(given.effectiveSrcPort()).isEqualTo(5555);
  }

  @Test
  void rejectionsNameTheField() {
    assertThatThrownBy(() -> RequestValidator.trace(OK.toBuilder().setSize(20).build()))
        .hasMessageStartingWith("size: 20 is not in 68-65535");
    assertThatThrownBy(() -> RequestValidator.trace(OK.toBuilder().setSize(65536).build()))
        .hasMessageStartingWith("size: 65536 is not in 68-65535");
    assertThatThrownBy(
            () ->
                RequestValidator.trace(OK.toBuilder().setDestination(node("Bad_Node", 0)).build()))
        .hasMessage("destination.node.name: 'Bad_Node' is not a DNS-1123 subdomain");
    assertThatThrownBy(
            () ->
                RequestValidator.trace(OK.toBuilder().setDestination(node("node2", 70000)).build()))
        .hasMessage("destination.node.port: 70000 is not in 0-65535");
    assertThatThrownBy(
            () -> RequestValidator.trace(OK.toBuilder().setSource(node("node1", 30080)).build()))
        .hasMessage("source.node.port: a NodePort is a destination only; give node/node1");
    assertThatThrownBy(() -> RequestValidator.trace(OK.toBuilder().setIngressNode("node2").build()))
        .hasMessage(
            "ingress_node: only for a source outside the cluster (ip:ADDRESS), not default/client-1");
  }
}
