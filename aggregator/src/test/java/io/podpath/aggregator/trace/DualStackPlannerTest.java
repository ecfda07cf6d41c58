package io.podpath.aggregator.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.ManifestReader;
import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.model.IpProtocol;
import io.podpath.proto.v1.TraceNodeRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * {@code --family} on the manifest of a dual-stack sandbox (recorded by
 * hack/fixtures/trace-ipv6.sh): which address of the source and destination a trace sends from and
 * to, ICMPv6 echo, every IPv6 endpoint of a dual-stack Service.
 */
class DualStackPlannerTest {
  static SnapshotInventory dual() throws IOException {
    try (var in =
        DualStackPlannerTest.class.getResourceAsStream(
            "/fixtures/inventory/sandbox-cluster-dual.yaml")) {
      ClusterIndex idx =
          ManifestReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return new SnapshotInventory(idx, "test");
    }
  }

  static TraceQuery query(String src, String dst, IpProtocol p, int dstPort, OptionalInt family) {
    return TraceQuery.builder(EndpointSpec.parse(src), EndpointSpec.parse(dst), p)
        .dstPort(dstPort)
        .ipFamily(family)
        .build();
  }

  @Test
  void withoutFamilyTheDestinationsFirstAddressDecides() throws IOException {
    var inv = dual();
    TraceReport r =
        new TracePlanner(inv, FakeAgents.cluster(inv))
            .trace(
                query(
                    "default/client-1", "default/web-2", IpProtocol.TCP, 80, OptionalInt.empty()));
    EndpointResult ep = r.endpoints().get(0);
    assertThat(ep.forward().packet().dstIp())
        .isEqualTo(inv.pod(new ObjectRef("default", "web-2")).orElseThrow().ips().get(0))
        .doesNotContain(":");
    assertThat(ep.forward().packet().srcIp()).doesNotContain(":");
  }

  /** An IPv6 literal source (outside, entering at a node) picks the pod's IPv6 address. */
  @Test
  void withoutFamilyAnIpLiteralSourceDecides() throws IOException {
    var inv = dual();
    TraceQuery q =
        query("ip:fd00:172:31:99::200", "default/web-1", IpProtocol.TCP, 80, OptionalInt.empty())
            .toBuilder()
            .ingressNode(Optional.of("node1"))
            .build();
    TraceReport r = new TracePlanner(inv, FakeAgents.cluster(inv)).trace(q);
    assertThat(r.endpoints().get(0).forward().packet().dstIp()).startsWith("fd00:10:244:");
    assertThat(
            EndpointResolver.family(
                query("ip:10.1.2.3", "default/web-1", IpProtocol.TCP, 80, OptionalInt.empty())))
        .hasValue(4);
    assertThat(
            EndpointResolver.family(
                query("ip:10.1.2.3", "default/web-1", IpProtocol.TCP, 80, OptionalInt.of(6))))
        .hasValue(6);
  }

  @Test
  void family6TracesBothDirectionsInIpv6() throws IOException {
    var inv = dual();
    FakeAgents agents = FakeAgents.cluster(inv);
    TraceReport r =
        new TracePlanner(inv, agents)
            .trace(
                query("default/client-1", "default/web-2", IpProtocol.UDP, 53, OptionalInt.of(6)));
    EndpointResult ep = r.endpoints().get(0);
    assertThat(ep.forward().verdict()).isEqualTo(Verdict.DELIVERED);
    assertThat(ep.forward().packet().srcIp()).startsWith("fd00:10:244:1::");
    assertThat(ep.forward().packet().dstIp()).startsWith("fd00:10:244:2::");
    assertThat(ep.reply().orElseThrow().packet().srcIp()).startsWith("fd00:10:244:2::");
    assertThat(agents.calls)
        .allSatisfy(c -> assertThat(c.request().getPacket().getDstIp()).contains(":"));
  }

  /** ICMPv6 echo: the request's type is left to the agent (128 for IPv6), the reply is 129. */
  @Test
  void icmpv6EchoReplyIsType129() throws IOException {
    var inv = dual();
    FakeAgents agents = FakeAgents.cluster(inv);
    TraceReport r =
        new TracePlanner(inv, agents)
            .trace(
                query("default/client-1", "default/web-2", IpProtocol.ICMP, 0, OptionalInt.of(6)));
    assertThat(r.endpoints().get(0).reply().orElseThrow().verdict()).isEqualTo(Verdict.DELIVERED);
    TraceNodeRequest reply =
        agents.requests("node2", q -> q.hasPod() && q.getPod().getName().equals("web-2")).get(0);
    assertThat(reply.getPacket().getSrcIp()).contains(":");
    assertThat(reply.getPacket().getIcmpType()).isEqualTo(129);
    TraceNodeRequest forward =
        agents.requests("node1", q -> q.hasPod() && q.getPod().getName().equals("client-1")).get(0);
    assertThat(forward.getPacket().hasIcmpType()).isFalse();
  }

  @Test
  void aDualStackServiceInFamily6HasEveryIpv6Endpoint() throws IOException {
    var inv = dual();
    TraceReport r =
        new TracePlanner(inv, FakeAgents.cluster(inv))
            .trace(
                query(
                    "default/client-1", "svc/default/web", IpProtocol.TCP, 80, OptionalInt.of(6)));
    assertThat(r.endpoints()).hasSize(inv.nodes().size());
    for (EndpointResult ep : r.endpoints()) {
      assertThat(ep.ip()).contains(":");
      assertThat(ep.forward().packet().dstIp()).isEqualTo("fd00:10:96::a");
      assertThat(ep.forward().verdict()).as(ep.label()).isEqualTo(Verdict.DELIVERED);
    }
  }

  /** node/NAME is the node's InternalIP of the family; either InternalIP names its node. */
  @Test
  void aNodeDestinationIsItsInternalIpOfTheFamily() throws IOException {
    var inv = dual();
    var node2 = inv.node("node2").orElseThrow();
    String v6 = node2.internalIps().stream().filter(a -> a.contains(":")).findFirst().orElseThrow();
    EndpointResolver resolver = new EndpointResolver(inv);
    EndpointSpec dst = EndpointSpec.parse("node/node2");
    assertThat(
            resolver.destinations(
                dst,
                query("default/client-1", "node/node2", IpProtocol.ICMP, 0, OptionalInt.of(6))))
        .singleElement()
        .satisfies(d -> assertThat(d.ip()).isEqualTo(v6));
    assertThat(
            resolver.destinations(
                dst,
                query("default/client-1", "node/node2", IpProtocol.ICMP, 0, OptionalInt.of(4))))
        .singleElement()
        .satisfies(d -> assertThat(d.ip()).isEqualTo(node2.internalIp()).doesNotContain(":"));
    assertThat(NodeArrival.owner(inv, v6)).contains(node2);
  }

  @Test
  void aFamilyThePodDoesNotHaveIsAClearError() throws IOException {
    var ipv4Only = TracePlannerTest.inventory();
    assertThatThrownBy(
            () ->
                new TracePlanner(ipv4Only, FakeAgents.cluster(ipv4Only))
                    .trace(
                        query(
                            "default/client-1",
                            "default/web-2",
                            IpProtocol.TCP,
                            80,
                            OptionalInt.of(6))))
        .isInstanceOf(TraceException.class)
        .hasMessageContaining("destination pod default/web-2 has no IPv6 address");
  }
}
