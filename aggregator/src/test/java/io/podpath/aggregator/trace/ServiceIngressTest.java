package io.podpath.aggregator.trace;

import static io.podpath.aggregator.trace.FakeAgents.leaves;
import static io.podpath.aggregator.trace.FakeAgents.toPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.inventory.ManifestReader;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.model.IpProtocol;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TraceOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A Service reached from outside by its ExternalIP or load balancer address (entering at every
 * node, since each node's proxy answers it) and under externalTrafficPolicy Local (only a node's
 * own endpoints answer; a node without one drops, named so).
 */
class ServiceIngressTest {
  private static final String EXT = "172.31.6.200";
  private static final String EXTERNAL_IP = "172.31.6.100";
  private static final String LB_IP = "172.31.6.101";

  private static TraceQuery query(String dst, int port) {
    return TracePlannerTest.query("ip:" + EXT, dst, IpProtocol.TCP, port);
  }

  /**
   * Every node's kernel: DNAT straight to the endpoint the agent is told (no SNAT, as under
   * externalTrafficPolicy Local), or DROP when it is told none; the pod is delivered on its node.
   */
  private static Function<TraceNodeRequest, NodeTrace> node(String name) {
    return r -> {
      if (r.hasHost()) {
        if (!r.hasLbBackend()) {
          return kernel(
              KernelHop.newBuilder()
                  .setResult(KernelHop.Result.RESULT_DROPPED)
                  .setCause("dropped by filter KUBE-EXTERNAL-SERVICES rule 1 (DROP)")
                  .setCauseCode("rule-drop"));
        }
        return kernel(
            KernelHop.newBuilder()
                .setResult(KernelHop.Result.RESULT_BACK_TO_OVS)
                .setDevice("tun0")
                .setOvsBridge("br-int")
                .setOfport(2)
                .setPacket(
                    r.getPacket().toBuilder()
                        .setDstIp(r.getLbBackend().getIp())
                        .setDstPort(r.getLbBackend().getPort())));
      }
      if (r.hasPod()) {
        return leaves(TraceOutcome.Kind.KIND_OTHER_PORT, "eth0");
      }
      String dst = r.getPacket().getDstIp();
      return toPod("default", "web-" + dst.substring("10.244.".length(), dst.lastIndexOf('.')));
    };
  }

  private static NodeTrace kernel(KernelHop.Builder k) {
    return leaves(TraceOutcome.Kind.KIND_HOST, "").toBuilder().setKernel(k).build();
  }

  private static FakeAgents agents() {
    return new FakeAgents()
        .on("node1", node("node1"))
        .on("node2", node("node2"))
        .on("node3", node("node3"));
  }

  /** The sandbox manifest with the Service given outside addresses (and a policy, if any). */
  private static SnapshotInventory inventory(String spec) throws IOException {
    try (var in =
        ServiceIngressTest.class.getResourceAsStream("/fixtures/inventory/sandbox-cluster.yaml")) {
      String yaml =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace(
                  "    type: ClusterIP\n    clusterIP: \"10.96.0.10\"",
                  "    type: LoadBalancer\n" + spec + "    clusterIP: \"10.96.0.10\"")
              .replace(
                  "      port: 80\n      targetPort: 80\n",
                  "      port: 80\n      targetPort: 80\n      nodePort: 30080\n")
              .replace(
                  "      port: 53\n      targetPort: 53\n",
                  "      port: 53\n      targetPort: 53\n  status:\n    loadBalancer:\n      ingress:\n"
                      + "      - ip: \""
                      + LB_IP
                      + "\"\n");
      return new SnapshotInventory(ManifestReader.parse(yaml), "test");
    }
  }

  private static final String EXTERNAL_IPS = "    externalIPs:\n    - \"" + EXTERNAL_IP + "\"\n";

  @Test
  void anExternalIpEntersAtEveryNodeOncePerEndpoint() throws IOException {
    FakeAgents agents = agents();
    TraceReport report =
        new TracePlanner(inventory(EXTERNAL_IPS), agents).trace(query("ip:" + EXTERNAL_IP, 80));

    // three nodes answer it, each may pick any of the three endpoints
    assertThat(report.endpoints()).hasSize(9);
    assertThat(report.source()).contains("entering at each node");
    EndpointResult first = report.endpoints().get(0);
    assertThat(first.label()).startsWith("at node1: ").contains("default/web-1");
    assertThat(report.endpoints().get(3).label()).startsWith("at node2: ");
    assertThat(first.forward()).isInstanceOf(DirectionResult.Delivered.class);
    assertThat(first.forward().notes())
        .anyMatch(n -> n.contains("every node's service proxy answers"));
    // each entry starts at that node's uplink, addressed to the ExternalIP and its Service port
    List<TraceNodeRequest> n2 = agents.requests("node2", TraceNodeRequest::hasHost);
    assertThat(n2).isNotEmpty();
    assertThat(n2.get(0).getPacket().getDstIp()).isEqualTo(EXTERNAL_IP);
    assertThat(n2.get(0).getPacket().getDstPort()).isEqualTo(80);
    assertThat(n2.get(0).getPacket().getSrcIp()).isEqualTo(EXT);
  }

  @Test
  void aLoadBalancerAddressIsAnExternalAddressToo() throws IOException {
    TraceReport report = new TracePlanner(inventory(""), agents()).trace(query("ip:" + LB_IP, 80));
    assertThat(report.endpoints()).hasSize(9);
    assertThat(report.endpoints().get(0).label())
        .contains(LB_IP + ":80 (external address of svc/default/web)");
  }

  @Test
  void ingressNodeNarrowsAnExternalIpToOneNode() throws IOException {
    TraceQuery q = query("ip:" + EXTERNAL_IP, 80);
    q =
        new TraceQuery(
            q.source(),
            q.destination(),
            q.protocol(),
            q.srcPort(),
            q.dstPort(),
            q.icmpType(),
            q.includeRaw(),
            q.maxHops(),
            q.forwardOnly(),
            q.sizing(),
            java.util.Optional.of("node2"),
            q.includeConntrackEntries(),
            java.util.OptionalInt.empty());
    TraceReport report = new TracePlanner(inventory(EXTERNAL_IPS), agents()).trace(q);
    assertThat(report.endpoints()).hasSize(3);
    assertThat(report.source()).isEqualTo("ip:" + EXT + " (entering at node2)");
  }

  @Test
  void externalTrafficPolicyLocalKeepsTheNodesOwnEndpointAndNamesTheDropElsewhere()
      throws IOException {
    // web-2 not ready: node2 has no local endpoint
    SnapshotInventory inv;
    try (var in =
        ServiceIngressTest.class.getResourceAsStream("/fixtures/inventory/sandbox-cluster.yaml")) {
      String yaml =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace(
                  "    type: ClusterIP\n    clusterIP: \"10.96.0.10\"",
                  "    type: NodePort\n    externalTrafficPolicy: Local\n"
                      + "    clusterIP: \"10.96.0.10\"")
              .replace(
                  "      port: 80\n      targetPort: 80\n",
                  "      port: 80\n      targetPort: 80\n      nodePort: 30080\n")
              .replace(
                  "    - \"10.244.2.3\"\n    conditions:\n      ready: true",
                  "    - \"10.244.2.3\"\n    conditions:\n      ready: false");
      inv = new SnapshotInventory(ManifestReader.parse(yaml), "test");
    }
    TracePlanner planner = new TracePlanner(inv, agents());

    TraceReport at1 = planner.trace(query("node/node1:30080", 30080));
    assertThat(at1.endpoints()).hasSize(1);
    EndpointResult local = at1.endpoints().get(0);
    assertThat(local.pod().orElseThrow().toString()).isEqualTo("default/web-1");
    assertThat(local.forward()).isInstanceOf(DirectionResult.Delivered.class);
    // no SNAT on the way: the pod sees the client and answers it
    assertThat(local.forward().packet().srcIp()).isEqualTo(EXT);
    assertThat(local.reply().orElseThrow()).isInstanceOf(DirectionResult.LeftCluster.class);

    TraceReport at2 = planner.trace(query("node/node2:30080", 30080));
    assertThat(at2.endpoints()).hasSize(1);
    DirectionResult dropped = at2.endpoints().get(0).forward();
    assertThat(dropped).isInstanceOf(DirectionResult.Dropped.class);
    assertThat(dropped.summary())
        .contains("externalTrafficPolicy Local: no local endpoint on node2")
        .contains("KUBE-EXTERNAL-SERVICES");
    assertThat(at2.endpoints().get(0).reply().orElseThrow().summary())
        .contains("no local endpoint on node2");
  }
}
