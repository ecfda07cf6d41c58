package io.podpath.aggregator.trace;

import static io.podpath.aggregator.trace.FakeAgents.leaves;
import static io.podpath.aggregator.trace.FakeAgents.toPod;
import static io.podpath.aggregator.trace.TracePlannerTest.inventory;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.inventory.ObjectRef;
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
 * DST node/NAME on another node: the packet routed out of the source node for that node's address
 * goes on into the destination node's kernel (HostIngress UPLINK, with the source node's SNAT), and
 * the reply comes from the destination node's own stack to that SNAT address, where the source
 * node's conntrack reverses it to the pod.
 */
class ToNodeTraceTest {
  private static String ip(String node) throws IOException {
    return inventory().node(node).orElseThrow().internalIp();
  }

  private static NodeTrace kernel(String enteredBy, KernelHop.Builder k) {
    return leaves(TraceOutcome.Kind.KIND_HOST, enteredBy).toBuilder().setKernel(k).build();
  }

  /** The kernel routes the packet out of eth0 (not OVS) with {@code src} as its source. */
  private static NodeTrace forwarded(TraceNodeRequest r, String src) {
    return kernel(
        "",
        KernelHop.newBuilder()
            .setResult(KernelHop.Result.RESULT_FORWARDED)
            .setDevice("eth0")
            .setPacket(r.getPacket().toBuilder().setSrcIp(src)));
  }

  private static NodeTrace deliveredLocal(TraceNodeRequest r) {
    return kernel(
        "eth0",
        KernelHop.newBuilder()
            .setEnteredBy("eth0")
            .setResult(KernelHop.Result.RESULT_DELIVERED_LOCAL)
            .setPacket(r.getPacket()));
  }

  private static NodeTrace backToOvs(TraceNodeRequest r) {
    return kernel(
        "eth0",
        KernelHop.newBuilder()
            .setResult(KernelHop.Result.RESULT_BACK_TO_OVS)
            .setDevice("k8s-node1")
            .setOvsBridge("br-int")
            .setOfport(2)
            .setPacket(r.getPacket()));
  }

  private static boolean uplink(TraceNodeRequest r) {
    return r.hasHost() && r.getHost().getKind() == HostIngress.Kind.KIND_UPLINK;
  }

  /** node1 MASQUERADEs the pod's packet to its own address; node2 takes or drops it. */
  private static FakeAgents cluster(String node1, NodeTrace node2Takes) {
    return new FakeAgents()
        .on(
            "node1",
            r -> {
              if (r.hasPod()) {
                return forwarded(r, node1);
              }
              if (uplink(r)) {
                return r.getPacket().getDstIp().equals(node1) ? deliveredLocal(r) : backToOvs(r);
              }
              return toPod("default", "client-1");
            })
        .on("node2", r -> uplink(r) ? node2Takes : forwarded(r, r.getPacket().getSrcIp()));
  }

  private static EndpointResult trace(FakeAgents agents) throws IOException {
    return new TracePlanner(inventory(), agents)
        .trace(TracePlannerTest.query("default/client-1", "node/node2", IpProtocol.ICMP, 0))
        .endpoints()
        .get(0);
  }

  @Test
  void aPodToAnotherNodesAddressEndsInThatNodesKernelAndItsStackAnswers() throws IOException {
    String node1 = ip("node1");
    String node2 = ip("node2");
    FakeAgents agents =
        cluster(
            node1,
            kernel(
                "eth0",
                KernelHop.newBuilder()
                    .setEnteredBy("eth0")
                    .setResult(KernelHop.Result.RESULT_DELIVERED_LOCAL)));

    EndpointResult ep = trace(agents);

    assertThat(ep.forward()).isInstanceOf(DirectionResult.Delivered.class);
    assertThat(ep.forward().hops().stream().map(Hop::node)).containsExactly("node1", "node2");
    TraceNodeRequest arrival = agents.requests("node2", ToNodeTraceTest::uplink).get(0);
    assertThat(arrival.getPacket().getSrcIp()).isEqualTo(node1);
    assertThat(arrival.getPacket().getDstIp()).isEqualTo(node2);

    DirectionResult reply = ep.reply().orElseThrow();
    assertThat(reply).as(reply.summary()).isInstanceOf(DirectionResult.Delivered.class);
    List<TraceNodeRequest> local =
        agents.requests(
            "node2", r -> r.hasHost() && r.getHost().getKind() == HostIngress.Kind.KIND_LOCAL);
    assertThat(local.get(0).getPacket().getSrcIp()).isEqualTo(node2);
    assertThat(local.get(0).getPacket().getDstIp()).isEqualTo(node1);
    // node1's conntrack reverses its MASQUERADE: the reply goes on to the pod.
    List<TraceNodeRequest> back = agents.requests("node1", ToNodeTraceTest::uplink);
    assertThat(back.get(back.size() - 1).getPacket().getDstIp())
        .isEqualTo(
            inventory().pod(new ObjectRef("default", "client-1")).orElseThrow().ips().get(0));
    assertThat(reply.notes()).anyMatch(n -> n.contains("reverses the connection's NAT"));
  }

  @Test
  void anInputDropOnTheDestinationNodeIsNamed() throws IOException {
    FakeAgents agents =
        cluster(
            ip("node1"),
            kernel(
                "eth0",
                KernelHop.newBuilder()
                    .setResult(KernelHop.Result.RESULT_DROPPED)
                    .setCauseCode("rule-drop")
                    .setCause("dropped on node2 by iptables filter INPUT #1: -A INPUT -j DROP")));

    DirectionResult forward = trace(agents).forward();

    assertThat(forward).isInstanceOf(DirectionResult.Dropped.class);
    assertThat(((DirectionResult.Dropped) forward).node()).isEqualTo("node2");
    assertThat(forward.summary()).contains("filter INPUT #1");
  }
}
