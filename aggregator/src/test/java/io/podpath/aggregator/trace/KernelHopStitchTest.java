package io.podpath.aggregator.trace;

import static io.podpath.aggregator.trace.FakeAgents.leaves;
import static io.podpath.aggregator.trace.FakeAgents.toPod;
import static io.podpath.aggregator.trace.FakeAgents.tunnelTo;
import static io.podpath.aggregator.trace.TracePlannerTest.N1;
import static io.podpath.aggregator.trace.TracePlannerTest.N2;
import static io.podpath.aggregator.trace.TracePlannerTest.inventory;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.model.IpProtocol;
import io.podpath.proto.v1.DropInfo;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TraceOutcome;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The stitcher on the agents' kernel hop (NodeTrace.kernel), with answers shaped as the agent's
 * kernel hop gives them: OVS outputs to the host-side management port and the kernel decides.
 */
class KernelHopStitchTest {
  private static final String EXTERNAL = "198.51.100.9";

  /** OVS output to the management port, then the kernel hop's answer. */
  private static NodeTrace viaKernel(String node, KernelHop.Builder k) {
    return leaves(TraceOutcome.Kind.KIND_HOST, "k8s-" + node).toBuilder()
        .setKernel(k.setEnteredBy("k8s-" + node))
        .build();
  }

  private static TraceReport trace(FakeAgents agents, String dst, int port) throws IOException {
    return new TracePlanner(inventory(), agents)
        .trace(
            WholePathPlannerTest.query(
                "default/client-1", dst, IpProtocol.TCP, port, TraceQuery.Sizing.DEFAULT));
  }

  @Test
  void forwardedOutOfTheNodeLeavesTheClusterWithTheSnatSource() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r ->
                    viaKernel(
                        "node1",
                        KernelHop.newBuilder()
                            .setResult(KernelHop.Result.RESULT_FORWARDED)
                            .setDevice("eth0")
                            .setGateway("172.31.6.1")
                            .setPacket(r.getPacket().toBuilder().setSrcIp(N1))
                            .addNat("SNAT 10.244.1.4 -> " + N1 + " by MASQUERADE")));

    DirectionResult f = trace(agents, "ip:" + EXTERNAL, 443).endpoints().get(0).forward();

    assertThat(f).isInstanceOf(DirectionResult.LeftCluster.class);
    DirectionResult.LeftCluster left = (DirectionResult.LeftCluster) f;
    assertThat(left.egressSource()).contains(N1);
    assertThat(left.routedOut()).isTrue();
    assertThat(left.via()).isEqualTo("node1 via eth0 (gateway 172.31.6.1)");
    assertThat(left.summary())
        .endsWith("leaves the cluster on node1 via eth0 (gateway 172.31.6.1) with source " + N1);
  }

  @Test
  void aKernelDropIsDroppedOnThatNodeWithItsCause() throws IOException {
    String cause = "ip_forward is 0 on node1";
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r -> {
                  NodeTrace t =
                      viaKernel(
                          "node1",
                          KernelHop.newBuilder()
                              .setResult(KernelHop.Result.RESULT_DROPPED)
                              .setCause(cause)
                              .setCauseCode("ip-forward-off"));
                  // As the agent does: the drop record carries the kernel's cause too.
                  return t.toBuilder()
                      .setOutcome(
                          t.getOutcome().toBuilder()
                              .setDrop(
                                  DropInfo.newBuilder()
                                      .setReason(cause)
                                      .setCauseCode("ip-forward-off")))
                      .build();
                });

    DirectionResult f = trace(agents, "ip:" + EXTERNAL, 443).endpoints().get(0).forward();

    assertThat(f).isInstanceOf(DirectionResult.Dropped.class);
    DirectionResult.Dropped d = (DirectionResult.Dropped) f;
    assertThat(d.node()).isEqualTo("node1");
    assertThat(d.drop().orElseThrow().causeCode()).isEqualTo("ip-forward-off");
    assertThat(d.summary()).endsWith(": dropped on node1: ip_forward is 0 on node1");
  }

  @Test
  void aNodeDestinationIsDeliveredWhenANodeProcessTakesIt() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r -> r.hasPod() ? tunnelTo(N1, N2, 3).apply(r) : toPod("default", "client-1"))
            .on(
                "node2",
                r ->
                    viaKernel(
                        "node2",
                        KernelHop.newBuilder()
                            .setResult(KernelHop.Result.RESULT_DELIVERED_LOCAL)
                            .setPacket(r.getPacket())));

    EndpointResult ep = trace(agents, "node/node2", 22).endpoints().get(0);

    assertThat(ep.forward().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(ep.forward().hops()).extracting(Hop::node).containsExactly("node1", "node2");
  }

  @Test
  void backToOvsContinuesOnTheSameNodeFromThatPortToTheNodePortBackend() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r -> {
                  if (r.hasPod()) {
                    return viaKernel(
                        "node1",
                        KernelHop.newBuilder()
                            .setResult(KernelHop.Result.RESULT_BACK_TO_OVS)
                            .setDevice("k8s-node1")
                            .setOvsBridge("br-int")
                            .setOfport(2)
                            .setPacket(
                                r.getPacket().toBuilder().setDstIp("10.244.2.3").setDstPort(80)));
                  }
                  return tunnelTo(N1, N2, 3).apply(r);
                })
            .on("node2", r -> toPod("default", "web-2"));

    EndpointResult ep = trace(agents, "node/node1:30080", 0).endpoints().get(0);

    assertThat(ep.forward().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(ep.forward().hops())
        .extracting(Hop::node)
        .containsExactly("node1", "node1", "node2");
    TraceNodeRequest again = agents.requests("node1", TraceNodeRequest::hasPort).get(0);
    assertThat(again.getPort().getBridge()).isEqualTo("br-int");
    assertThat(again.getPort().getOfport()).isEqualTo(2);
    Packet p = again.getPacket();
    assertThat(p.getDstIp()).isEqualTo("10.244.2.3");
    assertThat(p.getDstPort()).isEqualTo(80);
    assertThat(ep.forward().notes())
        .anyMatch(n -> n.contains("DNATed to 10.244.2.3:80") && n.contains("br-int ofport 2"));
  }

  @Test
  void anUnevaluableRuleIsInconclusiveNamingIt() throws IOException {
    String why = "iptables filter FORWARD rule 7 matches -m bpf, which podpath cannot evaluate";
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r ->
                    viaKernel(
                        "node1",
                        KernelHop.newBuilder()
                            .setResult(KernelHop.Result.RESULT_INCONCLUSIVE)
                            .setCause(why)));

    DirectionResult f = trace(agents, "ip:" + EXTERNAL, 443).endpoints().get(0).forward();

    assertThat(f).isInstanceOf(DirectionResult.Inconclusive.class);
    assertThat(((DirectionResult.Inconclusive) f).reason())
        .isEqualTo("the kernel of node1: " + why);
  }

  /**
   * OpenShift SDN-style: the Service VIP leaves OVS by tun0 and kube-proxy's iptables pick an
   * endpoint at random. The stitcher asks again following each endpoint, and a pod the agent knows
   * by IP only (no name in OVSDB) is the goal when its IP is the endpoint's.
   */
  @Test
  void aServiceTheKernelBalancesIsFollowedToEachEndpoint() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r -> {
                  if (r.hasPod() && !r.hasLbBackend()) {
                    return viaKernel(
                        "node1",
                        KernelHop.newBuilder()
                            .setResult(KernelHop.Result.RESULT_INCONCLUSIVE)
                            .setCause("-m statistic --mode random"));
                  }
                  if (r.hasPod()) {
                    return viaKernel(
                        "node1",
                        KernelHop.newBuilder()
                            .setResult(KernelHop.Result.RESULT_BACK_TO_OVS)
                            .setDevice("k8s-node1")
                            .setOvsBridge("br0")
                            .setOfport(2)
                            .setPacket(
                                r.getPacket().toBuilder()
                                    .setDstIp(r.getLbBackend().getIp())
                                    .setDstPort(80)));
                  }
                  String ip = r.getPacket().getDstIp();
                  return ip.equals("10.244.1.3")
                      ? FakeAgents.outcome(
                          TraceOutcome.newBuilder()
                              .setKind(TraceOutcome.Kind.KIND_LOCAL_POD)
                              .setPortName("veth85dffee6")
                              .setPodIp(ip))
                      : toPod("default", "client-1");
                });

    TraceReport report = trace(agents, "svc/default/web", 80);
    EndpointResult web1 =
        report.endpoints().stream()
            .filter(e -> e.ip().equals("10.244.1.3"))
            .findFirst()
            .orElseThrow();

    assertThat(web1.forward().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(web1.forward().hops()).extracting(Hop::node).containsExactly("node1", "node1");
    assertThat(web1.forward().notes())
        .anyMatch(n -> n.contains("picks the endpoint of svc/default/web"));
    assertThat(agents.requests("node1", TraceNodeRequest::hasLbBackend))
        .extracting(r -> r.getLbBackend().getIp())
        .contains("10.244.1.3");
  }
}
