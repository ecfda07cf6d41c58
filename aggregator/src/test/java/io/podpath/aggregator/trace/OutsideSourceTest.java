package io.podpath.aggregator.trace;

import static io.podpath.aggregator.trace.FakeAgents.leaves;
import static io.podpath.aggregator.trace.FakeAgents.toPod;
import static io.podpath.aggregator.trace.FakeAgents.tunnelTo;
import static io.podpath.aggregator.trace.TracePlannerTest.N1;
import static io.podpath.aggregator.trace.TracePlannerTest.N2;
import static io.podpath.aggregator.trace.TracePlannerTest.inventory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.ManifestReader;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.model.IpProtocol;
import io.podpath.proto.v1.HostIngress;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TraceOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * SRC ip:ADDRESS outside the cluster: the forward direction arrives at the ingress node's uplink
 * (HostIngress UPLINK), the reply goes back from the destination pod and must leave by that node;
 * through a NodePort, the reply is followed through the node's reverse NAT.
 */
class OutsideSourceTest {
  private static final String EXT = "172.31.6.200";

  /** node1's kernel after its NodePort NAT: DNAT to the endpoint, SNAT to its mgmt address. */
  private static final String NAT = "10.244.1.2";

  private static TraceQuery query(String dst, int port, Optional<String> ingress) {
    TraceQuery q = TracePlannerTest.query("ip:" + EXT, dst, IpProtocol.TCP, port);
    return q.toBuilder().ingressNode(ingress).ipFamily(OptionalInt.empty()).build();
  }

  private static NodeTrace kernel(KernelHop.Builder k) {
    return leaves(TraceOutcome.Kind.KIND_HOST, "").toBuilder().setKernel(k).build();
  }

  private static NodeTrace backToOvs(TraceNodeRequest r, String device, String bridge, int port) {
    return kernel(
        KernelHop.newBuilder()
            .setResult(KernelHop.Result.RESULT_BACK_TO_OVS)
            .setDevice(device)
            .setOvsBridge(bridge)
            .setOfport(port)
            .setPacket(r.getPacket()));
  }

  @Test
  void extToAPodThroughItsNodeLeavesByThatNodeAndThroughAnotherIsNotClaimed() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r -> {
                  if (r.hasHost()) {
                    return backToOvs(r, "k8s-node1", "br-int", 2);
                  }
                  if (r.hasPort()) {
                    return r.getPacket().getDstIp().equals(EXT)
                        ? leaves(TraceOutcome.Kind.KIND_OTHER_PORT, "eth0")
                        : r.getPacket().getDstIp().equals("10.244.1.3")
                            ? toPod("default", "web-1")
                            : tunnelTo(N1, N2, 3).apply(r);
                  }
                  return kernel(
                      KernelHop.newBuilder()
                          .setResult(KernelHop.Result.RESULT_FORWARDED)
                          .setDevice("eth0"));
                })
            .on(
                "node2",
                r ->
                    r.hasTunnel()
                        ? toPod("default", "web-2")
                        : kernel(
                            KernelHop.newBuilder()
                                .setResult(KernelHop.Result.RESULT_FORWARDED)
                                .setDevice("eth0")));

    TracePlanner planner = new TracePlanner(inventory(), agents);
    EndpointResult own =
        planner.trace(query("default/web-1", 80, Optional.of("node1"))).endpoints().get(0);
    assertThat(own.forward()).isInstanceOf(DirectionResult.Delivered.class);
    assertThat(own.reply().orElseThrow()).isInstanceOf(DirectionResult.LeftCluster.class);
    TraceNodeRequest first = agents.calls.get(0).request();
    assertThat(first.getHost().getKind()).isEqualTo(HostIngress.Kind.KIND_UPLINK);
    assertThat(first.getHost().getInterface()).isEmpty();
    assertThat(first.getPacket().getSrcIp()).isEqualTo(EXT);

    EndpointResult other =
        planner.trace(query("default/web-2", 80, Optional.of("node1"))).endpoints().get(0);
    assertThat(other.forward()).isInstanceOf(DirectionResult.Delivered.class);
    assertThat(other.reply().orElseThrow()).isInstanceOf(DirectionResult.Inconclusive.class);
    assertThat(((DirectionResult.Inconclusive) other.reply().orElseThrow()).reason())
        .contains("leaves the cluster by node2, but the connection came in at node1");
  }

  @Test
  void aNodePortIsTracedPerEndpointAndTheReplyThroughTheReverseNat() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r -> {
                  if (r.hasHost() && r.getHost().getInterface().isEmpty()) {
                    // The uplink: NodePort DNAT to the endpoint, SNAT to the mgmt address.
                    return backToOvs(
                        r.toBuilder()
                            .setPacket(
                                r.getPacket().toBuilder()
                                    .setSrcIp(NAT)
                                    .setDstIp(r.getLbBackend().getIp())
                                    .setDstPort(80))
                            .build(),
                        "k8s-node1",
                        "br-int",
                        2);
                  }
                  if (r.hasHost()) {
                    // The reply, after conntrack's reverse NAT: routed out the uplink bridge.
                    return backToOvs(r, "br-phy", "br-phy", 65534);
                  }
                  if (r.hasPod()) {
                    return leaves(TraceOutcome.Kind.KIND_HOST, "k8s-node1").toBuilder()
                        .setKernel(
                            KernelHop.newBuilder()
                                .setEnteredBy("k8s-node1")
                                .setResult(KernelHop.Result.RESULT_DELIVERED_LOCAL)
                                .setPacket(r.getPacket()))
                        .build();
                  }
                  if (r.getPort().getBridge().equals("br-phy")) {
                    return leaves(TraceOutcome.Kind.KIND_OTHER_PORT, "eth0");
                  }
                  return r.getPacket().getDstIp().equals("10.244.1.3")
                      ? toPod("default", "web-1")
                      : tunnelTo(N1, N2, 3).apply(r);
                });

    TraceReport report =
        new TracePlanner(nodePortInventory(), agents)
            .trace(query("node/node1:30080", 30080, Optional.empty()));

    // One trace per endpoint of the Service owning the NodePort (web-1..3 in this manifest).
    assertThat(report.endpoints()).hasSize(3);
    EndpointResult ep = report.endpoints().get(0);
    assertThat(ep.label()).contains("default/web-1");
    assertThat(ep.forward()).isInstanceOf(DirectionResult.Delivered.class);
    DirectionResult reply = ep.reply().orElseThrow();
    assertThat(reply).isInstanceOf(DirectionResult.LeftCluster.class);
    assertThat(reply.notes()).anyMatch(n -> n.contains("reverses the connection's NAT"));
    TraceNodeRequest first = agents.calls.get(0).request();
    assertThat(first.getLbBackend().getIp()).isEqualTo("10.244.1.3");
    TraceNodeRequest fromPod = agents.requests("node1", TraceNodeRequest::hasPod).get(0);
    assertThat(fromPod.getPacket().getDstIp()).isEqualTo(NAT);
    List<TraceNodeRequest> unNat =
        agents.requests(
            "node1", r -> r.hasHost() && r.getHost().getInterface().equals("k8s-node1"));
    assertThat(unNat).hasSize(1);
    assertThat(unNat.get(0).getPacket().getDstIp()).isEqualTo(EXT);
    TraceNodeRequest out =
        agents
            .requests("node1", r -> r.hasPort() && r.getPort().getBridge().equals("br-phy"))
            .get(0);
    assertThat(out.getPacket().getSrcIp()).isEqualTo("172.31.6.11");
    assertThat(out.getPacket().getSrcPort()).isEqualTo(30080);
  }

  @Test
  void anOutsideSourceNeedsAnIngressNodeAndAPodIpIsNoOutsideSource() {
    assertThatThrownBy(
            () ->
                new TracePlanner(inventory(), new FakeAgents())
                    .trace(query("default/web-1", 80, Optional.empty())))
        .isInstanceOf(TraceException.class)
        .hasMessageContaining("--ingress-node NODE");
    assertThatThrownBy(
            () ->
                new TracePlanner(inventory(), new FakeAgents())
                    .trace(
                        TraceQuery.builder(
                                EndpointSpec.parse("ip:10.244.1.4"),
                                EndpointSpec.parse("default/web-1"),
                                IpProtocol.TCP)
                            .dstPort(80)
                            .ingressNode(Optional.of("node1"))
                            .build()))
        .isInstanceOf(TraceException.class)
        .hasMessageContaining("inside the cluster");
  }

  /** The sandbox's manifest with `hack/sandbox nodeport on`: the Service's TCP port 30080. */
  private static SnapshotInventory nodePortInventory() throws IOException {
    try (var in =
        OutsideSourceTest.class.getResourceAsStream("/fixtures/inventory/sandbox-cluster.yaml")) {
      String yaml =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace(
                  "    type: ClusterIP\n    clusterIP: \"10.96.0.10\"",
                  "    type: NodePort\n    clusterIP: \"10.96.0.10\"")
              .replace(
                  "      port: 80\n      targetPort: 80\n",
                  "      port: 80\n      targetPort: 80\n      nodePort: 30080\n");
      ClusterIndex idx = ManifestReader.parse(yaml);
      return new SnapshotInventory(idx, "test");
    }
  }
}
