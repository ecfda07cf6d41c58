package io.podpath.aggregator.trace;

import static io.podpath.aggregator.trace.FakeAgents.dropped;
import static io.podpath.aggregator.trace.FakeAgents.leaves;
import static io.podpath.aggregator.trace.FakeAgents.recirc;
import static io.podpath.aggregator.trace.FakeAgents.toPod;
import static io.podpath.aggregator.trace.FakeAgents.tunnelTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.ManifestReader;
import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.IpProtocol;
import io.podpath.proto.v1.CtFlag;
import io.podpath.proto.v1.HostIngress;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TraceOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

public class TracePlannerTest {
  /** The recorded nodes' encap IPs (they depend on the recording sandbox's index). */
  public static final String N1 = encapIp("node1");

  public static final String N2 = encapIp("node2");

  static String encapIp(String node) {
    try {
      return inventory().node(node).orElseThrow().encapIp();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static SnapshotInventory inventory() throws IOException {
    try (var in =
        TracePlannerTest.class.getResourceAsStream("/fixtures/inventory/sandbox-cluster.yaml")) {
      ClusterIndex idx =
          ManifestReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return new SnapshotInventory(idx, "test");
    }
  }

  static TraceQuery query(String src, String dst, IpProtocol p, int dstPort) {
    return TraceQuery.builder(EndpointSpec.parse(src), EndpointSpec.parse(dst), p)
        .dstPort(dstPort)
        .build();
  }

  private static boolean fromPod(TraceNodeRequest r, String name) {
    return r.hasPod() && r.getPod().getName().equals(name);
  }

  @Test
  void sameNodeIsOneTracePerDirection() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r ->
                    fromPod(r, "client-1")
                        ? toPod("default", "web-1")
                        : toPod("default", "client-1"));

    TraceReport report =
        new TracePlanner(inventory(), agents)
            .trace(query("default/client-1", "default/web-1", IpProtocol.TCP, 80));

    EndpointResult ep = report.endpoints().get(0);
    assertThat(ep.forward().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(ep.forward().summary())
        .isEqualTo(
            "podpath trace indicates success from default/client-1 10.244.1.4:40000 to default/web-1 10.244.1.3:80 via node1");
    assertThat(ep.forward().hops())
        .extracting(Hop::role)
        .containsExactly(Hop.Role.SOURCE_AND_DESTINATION);
    assertThat(ep.reply().orElseThrow().verdict()).isEqualTo(Verdict.DELIVERED);
    TraceNodeRequest reply = agents.requests("node1", r -> fromPod(r, "web-1")).get(0);
    assertThat(reply.getPod().getName()).isEqualTo("web-1");
    assertThat(reply.getPacket().getSrcIp()).isEqualTo("10.244.1.3");
    assertThat(reply.getPacket().getSrcPort()).isEqualTo(80);
    assertThat(reply.getPacket().getDstPort()).isEqualTo(40000);
    assertThat(reply.getCtNext(0).getFlagsList())
        .containsExactly(CtFlag.CT_FLAG_TRK, CtFlag.CT_FLAG_EST, CtFlag.CT_FLAG_RPL);
  }

  @Test
  void crossNodeIsStitchedThroughTheTunnelWithTheInnerPacketAsItLeft() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r -> r.hasPod() ? tunnelTo(N1, N2, 3).apply(r) : toPod("default", "client-1"))
            .on(
                "node2",
                r -> r.hasPod() ? tunnelTo(N2, N1, 4).apply(r) : toPod("default", "web-2"));

    TraceReport report =
        new TracePlanner(inventory(), agents)
            .trace(query("default/client-1", "default/web-2", IpProtocol.UDP, 53));

    DirectionResult fwd = report.endpoints().get(0).forward();
    assertThat(fwd.verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(fwd.hops()).extracting(Hop::node).containsExactly("node1", "node2");
    assertThat(fwd.hops())
        .extracting(Hop::role)
        .containsExactly(Hop.Role.SOURCE, Hop.Role.DESTINATION);
    assertThat(Results.tunnel(fwd.hops().get(0)).vni()).isEqualTo(3);
    TraceNodeRequest second = agents.requests("node2", TraceNodeRequest::hasTunnel).get(0);
    assertThat(second.getTunnel().getTunSrc()).isEqualTo(N1);
    assertThat(second.getTunnel().getTunDst()).isEqualTo(N2);
    assertThat(second.getTunnel().getTunId()).isEqualTo(3);
    assertThat(second.getTunnel().getGeneveOptionsList()).containsExactly(FakeAgents.OVN_OPTION);
    assertThat(second.getPacket().getTtl()).isEqualTo(63);
    assertThat(second.getPacket().getDstIp()).isEqualTo("10.244.2.3");
    assertThat(second.getPacket().getDstPort()).isEqualTo(53);
    DirectionResult reply = report.endpoints().get(0).reply().orElseThrow();
    assertThat(reply.verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(reply.hops()).extracting(Hop::node).containsExactly("node2", "node1");
    assertThat(agents.requests("node1", TraceNodeRequest::hasTunnel).get(0).getCtNextList())
        .hasSize(1);
  }

  @Test
  void dropByPolicyNamesNodeTableAndPolicyAndTheReplyIsTracedToo() throws IOException {
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r -> r.hasPod() ? tunnelTo(N1, N2, 3).apply(r) : toPod("default", "client-1"))
            .on(
                "node2",
                r ->
                    r.hasPod()
                        ? tunnelTo(N2, N1, 4).apply(r)
                        : dropped(44, "default", "deny-ingress-web-2"));

    EndpointResult ep =
        new TracePlanner(inventory(), agents)
            .trace(query("default/client-1", "default/web-2", IpProtocol.TCP, 80))
            .endpoints()
            .get(0);

    assertThat(ep.forward().verdict()).isEqualTo(Verdict.DROPPED);
    assertThat(Results.droppedNode(ep.forward())).isEqualTo("node2");
    assertThat(Results.drop(ep.forward()).orElseThrow().table()).isEqualTo(44);
    assertThat(ep.forward().hops())
        .extracting(Hop::role)
        .containsExactly(Hop.Role.SOURCE, Hop.Role.DESTINATION);
    assertThat(ep.forward().summary())
        .endsWith(
            "dropped on node2 in table 44 (ACL drop) by NetworkPolicy default/deny-ingress-web-2 (ingress)");
    assertThat(ep.reply().orElseThrow().verdict()).isEqualTo(Verdict.DELIVERED);
  }

  @Test
  void serviceGivesEveryReadyEndpointItsOwnVerdictAndContinuesAfterTheLoadBalancer()
      throws IOException {
    FakeAgents agents = FakeAgents.cluster(inventory());

    TraceReport report =
        new TracePlanner(inventory(), agents)
            .trace(query("default/client-1", "svc/default/web", IpProtocol.TCP, 80));

    assertThat(report.endpoints())
        .extracting(EndpointResult::label)
        .contains("default/web-1 10.244.1.3:80", "default/web-2 10.244.2.3:80")
        .hasSize(inventory().nodes().size());
    for (EndpointResult ep : report.endpoints()) {
      assertThat(ep.forward().verdict()).as(ep.label()).isEqualTo(Verdict.DELIVERED);
      assertThat(ep.reply().orElseThrow().verdict()).as(ep.label()).isEqualTo(Verdict.DELIVERED);
      assertThat(ep.forward().notes())
          .singleElement()
          .asString()
          .contains("load balancer stopped ofproto/trace at recirculation 0x2a")
          .contains("DNATed to " + ep.ip() + ":80");
      assertThat(ep.forward().packet().dstIp()).isEqualTo("10.96.0.10");
    }
    EndpointResult web2 = report.endpoints().get(1);
    assertThat(web2.forward().hops())
        .extracting(Hop::node)
        .containsExactly("node1", "node1", "node2");
    assertThat(web2.forward().hops().get(2).role()).isEqualTo(Hop.Role.DESTINATION);
  }

  @Test
  void anIpDestinationIsResolvedToItsPodOrService() throws IOException {
    var inv = inventory();
    TracePlanner planner = new TracePlanner(inv, FakeAgents.cluster(inv));
    TraceReport vip = planner.trace(query("ip:10.244.1.4", "ip:10.96.0.10", IpProtocol.UDP, 53));
    assertThat(vip.source()).isEqualTo("default/client-1");
    assertThat(vip.endpoints()).hasSize(inv.nodes().size());
    assertThat(vip.endpoints())
        .allSatisfy(e -> assertThat(e.forward().verdict()).isEqualTo(Verdict.DELIVERED));
    TraceReport pod = planner.trace(query("default/client-1", "ip:10.244.2.3", IpProtocol.TCP, 80));
    assertThat(pod.endpoints().get(0).pod()).contains(new ObjectRef("default", "web-2"));
    assertThat(pod.endpoints().get(0).forward().verdict()).isEqualTo(Verdict.DELIVERED);
  }

  @Test
  void aDropOnTheSourceNodeDoesNotMakeItTheDestination() throws IOException {
    FakeAgents agents = new FakeAgents().on("node1", r -> dropped(40, "", ""));
    DirectionResult fwd =
        new TracePlanner(inventory(), agents)
            .trace(query("default/client-1", "default/web-2", IpProtocol.ICMP, 0))
            .endpoints()
            .get(0)
            .forward();
    assertThat(fwd.verdict()).isEqualTo(Verdict.DROPPED);
    assertThat(fwd.hops()).extracting(Hop::role).containsExactly(Hop.Role.SOURCE);
  }

  @Test
  void externalAddressLeavesTheClusterAndTheReplyComesBackAtTheNodeItLeftBy() throws IOException {
    FakeAgents agents =
        new FakeAgents().on("node1", r -> leaves(TraceOutcome.Kind.KIND_HOST, "k8s-node1"));

    EndpointResult ep =
        new TracePlanner(inventory(), agents)
            .trace(query("default/client-1", "ip:192.0.2.200", IpProtocol.ICMP, 0))
            .endpoints()
            .get(0);

    assertThat(ep.forward().verdict()).isEqualTo(Verdict.LEFT_CLUSTER);
    assertThat(Results.leftVia(ep.forward())).isEqualTo("node1 via port k8s-node1 (host)");
    // The reply is traced from node1's uplink (conntrack there knows the connection), addressed
    // to the pod as the reverse NAT rewrites it before routing; established, reply direction.
    assertThat(agents.calls).hasSize(2);
    TraceNodeRequest back = agents.calls.get(1).request();
    assertThat(back.getHost().getKind()).isEqualTo(HostIngress.Kind.KIND_UPLINK);
    assertThat(back.getPacket().getSrcIp()).isEqualTo("192.0.2.200");
    assertThat(back.getPacket().getDstIp())
        .isEqualTo(inventory().podByIp("10.244.1.4").orElseThrow().ips().get(0));
    assertThat(ep.reply().orElseThrow().notes())
        .anyMatch(n -> n.startsWith("the reply enters the cluster at node1"));
  }

  @Test
  void inconclusiveSaysWhy() throws IOException {
    var unknownTunnel = new FakeAgents().on("node1", r -> tunnelTo(N1, "192.0.2.99", 3).apply(r));
    assertThat(
            Results.reason(
                new TracePlanner(inventory(), unknownTunnel)
                    .trace(query("default/client-1", "default/web-2", IpProtocol.TCP, 80))
                    .endpoints()
                    .get(0)
                    .forward()))
        .contains("192.0.2.99, which is no known node's encap IP");

    var unreachable =
        new FakeAgents()
            .on("node1", r -> tunnelTo(N1, N2, 3).apply(r))
            .on(
                "node2",
                r -> {
                  throw new AgentException(
                      AgentException.Kind.UNREACHABLE, "node2", "connection refused");
                });
    DirectionResult fwd =
        new TracePlanner(inventory(), unreachable)
            .trace(query("default/client-1", "default/web-2", IpProtocol.TCP, 80))
            .endpoints()
            .get(0)
            .forward();
    assertThat(fwd.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(Results.reason(fwd))
        .isEqualTo("the agent on node2 is unreachable: connection refused");
    assertThat(fwd.hops()).extracting(Hop::node).containsExactly("node1");

    var loop =
        new FakeAgents()
            .on("node1", r -> tunnelTo(N1, N2, 3).apply(r))
            .on("node2", r -> tunnelTo(N2, N1, 3).apply(r));
    DirectionResult looped =
        new TracePlanner(inventory(), loop)
            .trace(query("default/client-1", "default/web-2", IpProtocol.TCP, 80))
            .endpoints()
            .get(0)
            .forward();
    assertThat(Results.reason(looped)).startsWith("hop limit 8 reached (node1 -> node2 -> node1");
    assertThat(looped.hops()).hasSize(8);

    var recirc = new FakeAgents().on("node1", r -> recirc("0x7"));
    assertThat(
            Results.reason(
                new TracePlanner(inventory(), recirc)
                    .trace(query("default/client-1", "default/web-1", IpProtocol.TCP, 80))
                    .endpoints()
                    .get(0)
                    .forward()))
        .contains("stopped at recirculation 0x7 on node1, which podpath cannot follow");
  }

  @Test
  void requestsThatCannotStartAreTypedErrors() throws IOException {
    TracePlanner noAgents = new TracePlanner(inventory(), new FakeAgents());
    assertThatThrownBy(
            () -> noAgents.trace(query("default/client-1", "default/web-1", IpProtocol.TCP, 80)))
        .isInstanceOfSatisfying(
            TraceException.class,
            e -> assertThat(e.kind()).isEqualTo(TraceException.Kind.FAILED_PRECONDITION))
        .hasMessage("no agent known for the source node node1");
    assertThatThrownBy(
            () -> noAgents.trace(query("default/nope", "default/web-1", IpProtocol.TCP, 80)))
        .isInstanceOfSatisfying(
            TraceException.class,
            e -> assertThat(e.kind()).isEqualTo(TraceException.Kind.NOT_FOUND))
        .hasMessage("source pod default/nope not found");
    assertThatThrownBy(
            () -> noAgents.trace(query("svc/default/web", "default/web-1", IpProtocol.TCP, 80)))
        .hasMessageStartingWith("source: a Service");
    assertThatThrownBy(
            () ->
                noAgents.trace(query("default/client-1", "svc/default/web", IpProtocol.TCP, 8080)))
        .hasMessage("dst_port: service default/web has no TCP port 8080 (it has [tcp/80, udp/53])");
    assertThatThrownBy(
            () -> noAgents.trace(query("default/client-1", "default/web-1", IpProtocol.TCP, 0)))
        .hasMessage("dst_port: required for TCP");
  }

  @Test
  void endpointSyntax() {
    assertThat(EndpointSpec.parse("default/web-1"))
        .isEqualTo(new EndpointSpec.Pod(new ObjectRef("default", "web-1")));
    assertThat(EndpointSpec.parse("svc/kube-system/dns"))
        .isEqualTo(new EndpointSpec.Service(new ObjectRef("kube-system", "dns")));
    assertThat(EndpointSpec.parse("ip:172.31.0.200"))
        .isEqualTo(new EndpointSpec.Ip("172.31.0.200"));
    assertThatThrownBy(() -> EndpointSpec.parse("ip:300.1.1.1"))
        .hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> EndpointSpec.parse("web"))
        .hasMessageContaining("expected NAMESPACE/POD");
    assertThatThrownBy(() -> EndpointSpec.parse("Default/web"))
        .hasMessageContaining("DNS-1123 label");
  }

  @Test
  void aCancelledTraceMakesNoFurtherAgentCall() throws IOException {
    CallScope scope = CallScope.unbounded();
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r -> {
                  // the caller gives up while node1 answers: node2 must never be asked
                  scope.cancel("the caller cancelled");
                  return tunnelTo(N1, N2, 3).apply(r);
                })
            .on("node2", r -> toPod("default", "web-2"));

    assertThatThrownBy(
            () ->
                new TracePlanner(inventory(), agents, Runnable::run)
                    .trace(query("default/client-1", "default/web-2", IpProtocol.TCP, 80), scope))
        .isInstanceOfSatisfying(
            TraceException.class,
            e -> assertThat(e.kind()).isEqualTo(TraceException.Kind.CANCELLED));
    assertThat(agents.calls).extracting(FakeAgents.Call::node).containsExactly("node1");
  }
}
