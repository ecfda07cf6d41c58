package io.podpath.aggregator.trace;

import static io.podpath.aggregator.trace.FakeAgents.leaves;
import static io.podpath.aggregator.trace.FakeAgents.toPod;
import static io.podpath.aggregator.trace.FakeAgents.tunnelTo;
import static io.podpath.aggregator.trace.TracePlannerTest.N1;
import static io.podpath.aggregator.trace.TracePlannerTest.N2;
import static io.podpath.aggregator.trace.TracePlannerTest.inventory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.aggregator.model.IpProtocol;
import io.podpath.proto.v1.HostIngress;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TraceOutcome;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SRC node/NAME: the forward direction starts in the node's kernel (HostIngress LOCAL), continues
 * in OVS from the port the kernel routed it to, and the reply goes to the source the kernel chose.
 */
class NodeSourceTest {
  /** The address the agent's kernel hop chose (node1's management port in the sandbox). */
  private static final String CHOSEN = "10.244.1.2";

  /** As the agent answers a HostIngress LOCAL trace: only the kernel part, HOST or DROPPED. */
  private static NodeTrace kernelOnly(KernelHop.Builder k) {
    return leaves(TraceOutcome.Kind.KIND_HOST, "").toBuilder().setKernel(k).build();
  }

  private static NodeTrace backToOvs(TraceNodeRequest r) {
    return kernelOnly(
        KernelHop.newBuilder()
            .setResult(KernelHop.Result.RESULT_BACK_TO_OVS)
            .setDevice("k8s-node1")
            .setOvsBridge("br-int")
            .setOfport(2)
            .setPacket(r.getPacket().toBuilder().setSrcIp(CHOSEN)));
  }

  /** The reply reaches node1's management port; node1's kernel takes it. */
  private static NodeTrace deliveredLocal(TraceNodeRequest r) {
    return leaves(TraceOutcome.Kind.KIND_HOST, "k8s-node1").toBuilder()
        .setKernel(
            KernelHop.newBuilder()
                .setEnteredBy("k8s-node1")
                .setResult(KernelHop.Result.RESULT_DELIVERED_LOCAL)
                .setPacket(r.getPacket()))
        .build();
  }

  private static TraceReport trace(FakeAgents agents, String dst) throws IOException {
    return new TracePlanner(inventory(), agents)
        .trace(TracePlannerTest.query("node/node1", dst, IpProtocol.TCP, 80));
  }

  @Test
  void nodeToAPodOnAnotherNodeStartsInTheKernelAndTheReplyAnswersTheChosenSource()
      throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r ->
                    r.hasHost()
                        ? backToOvs(r)
                        : r.hasPort() ? tunnelTo(N1, N2, 3).apply(r) : deliveredLocal(r))
            .on(
                "node2",
                r -> r.hasTunnel() ? toPod("default", "web-2") : tunnelTo(N2, N1, 4).apply(r));

    TraceReport report = trace(agents, "default/web-2");
    EndpointResult ep = report.endpoints().get(0);

    assertThat(report.source()).isEqualTo("node/node1");
    assertThat(ep.forward()).isInstanceOf(DirectionResult.Delivered.class);
    assertThat(ep.reply().orElseThrow()).isInstanceOf(DirectionResult.Delivered.class);
    TraceNodeRequest first = agents.calls.get(0).request();
    assertThat(first.getHost().getKind()).isEqualTo(HostIngress.Kind.KIND_LOCAL);
    assertThat(first.getPacket().getSrcIp()).isEmpty();
    List<TraceNodeRequest> port = agents.requests("node1", TraceNodeRequest::hasPort);
    assertThat(port.get(0).getPort().getOfport()).isEqualTo(2);
    assertThat(port.get(0).getPacket().getSrcIp()).isEqualTo(CHOSEN);
    TraceNodeRequest reply = agents.requests("node2", TraceNodeRequest::hasPod).get(0);
    assertThat(reply.getPacket().getDstIp()).isEqualTo(CHOSEN);
  }

  @Test
  void aKernelDropEndsTheForwardOnTheNodeAndTheReplyFallsBackToTheInternalIp() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r ->
                    r.hasHost()
                        ? kernelOnly(
                            KernelHop.newBuilder()
                                .setResult(KernelHop.Result.RESULT_DROPPED)
                                .setCause("no route to 10.244.1.3 on node1")
                                .setCauseCode("no-route"))
                        : toPod("default", "web-1"));

    EndpointResult ep = trace(agents, "default/web-1").endpoints().get(0);

    assertThat(ep.forward()).isInstanceOf(DirectionResult.Dropped.class);
    String internal = inventory().node("node1").orElseThrow().internalIp();
    TraceNodeRequest reply = agents.requests("node1", TraceNodeRequest::hasPod).get(0);
    assertThat(reply.getPacket().getDstIp()).isEqualTo(internal);
    assertThat(ep.reply().orElseThrow().notes())
        .anyMatch(n -> n.contains("chose no source") && n.contains(internal));
  }

  @Test
  void anUnknownSourceNodeOrOneWithoutAnAgentIsRefused() {
    assertThatThrownBy(() -> trace(new FakeAgents(), "default/web-1"))
        .isInstanceOf(TraceException.class)
        .hasMessageContaining("no agent known for the source node node1");
    assertThatThrownBy(
            () ->
                new TracePlanner(inventory(), new FakeAgents())
                    .trace(
                        TracePlannerTest.query("node/nope", "default/web-1", IpProtocol.TCP, 80)))
        .isInstanceOf(TraceException.class)
        .hasMessageContaining("source node nope not found");
  }
}
