package io.podpath.aggregator.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.proto.v1.ConntrackFill;
import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.KernelRuleHit;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.PodStack;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.SizeCheck;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import org.junit.jupiter.api.Test;

/** A hop's facts beyond OVS are listed by every output format, passing ones included. */
class HopFactsTest {
  /** A pod's packet to an outside address, leaving node1 through its kernel (what agents send). */
  static TraceResult egress() {
    NodeTrace t =
        NodeTrace.newBuilder()
            .setNode("node1")
            .setOutcome(
                TraceOutcome.newBuilder()
                    .setKind(TraceOutcome.Kind.KIND_OTHER_PORT)
                    .setPortName("ovn-k8s-mp0"))
            .addPodStacks(
                PodStack.newBuilder()
                    .setPod(PodRef.newBuilder().setNamespace("default").setName("client-1"))
                    .setLinkUp(true)
                    .setOvsLinkState("up")
                    .setMtu(1400)
                    .addAddresses("10.244.1.4/24")
                    .setRoute("default via 10.244.1.1 dev eth0")
                    .setNeighbour("10.244.1.1 lladdr 0a:58:0a:f4:01:01 REACHABLE"))
            .addSizeChecks(
                SizeCheck.newBuilder()
                    .setWhere("default/client-1 eth0")
                    .setSize(1000)
                    .setMtu(1400)
                    .setFits(true))
            .addSizeChecks(
                SizeCheck.newBuilder()
                    .setWhere("node1 eth0")
                    .setSize(1000)
                    .setMtu(1500)
                    .setFits(true)
                    .setText("1000 <= 1500 on node1 eth0"))
            .setKernel(
                KernelHop.newBuilder()
                    .setResult(KernelHop.Result.RESULT_FORWARDED)
                    .setEnteredBy("ovn-k8s-mp0")
                    .setDevice("eth0")
                    .setGateway("172.31.9.1")
                    .addFacts("route 192.0.2.10 via 172.31.9.1 dev eth0")
                    .addFacts("ip_forward 1")
                    .addNat("SNAT 10.244.1.4 -> 172.31.9.11 by MASQUERADE (nat POSTROUTING rule 2)")
                    .addRules(
                        KernelRuleHit.newBuilder()
                            .setTable("nat")
                            .setChain("POSTROUTING")
                            .setNumber(2)
                            .setRule("-A POSTROUTING -s 10.244.0.0/16 -j MASQUERADE")
                            .setVerdict("MASQUERADE")))
            .addConntrack(ConntrackFill.newBuilder().setTable("kernel").setCount(27).setMax(262144))
            .build();
    DirectionTrace d =
        DirectionTrace.newBuilder()
            .setVerdict(Verdict.VERDICT_LEFT_CLUSTER)
            .setSummary("left the cluster on node1")
            .setPacket(
                Packet.newBuilder()
                    .setProtocol(Protocol.PROTOCOL_TCP)
                    .setSrcIp("10.244.1.4")
                    .setDstIp("192.0.2.10")
                    .setDstPort(80))
            .addNodes(
                NodeObservation.newBuilder()
                    .setNode("node1")
                    .setRole(NodeObservation.Role.ROLE_SOURCE)
                    .setTrace(t))
            .build();
    return TraceResult.newBuilder()
        .setSource("default/client-1")
        .setDestination("192.0.2.10")
        .addEndpoints(EndpointTrace.newBuilder().setIp("192.0.2.10").setPort(80).setForward(d))
        .build();
  }

  @Test
  void textListsPodStackSizesKernelRouteRulesNatAndConntrack() {
    String text = TraceRenderer.render(egress(), OutputFormat.text, false, Style.PLAIN);
    assertThat(text)
        .contains(
            "pod default/client-1: eth0 up (OVS port up), mtu 1400, route default via 10.244.1.1"
                + " dev eth0, neighbour 10.244.1.1 lladdr")
        .contains("size 1000 <= 1400 at default/client-1 eth0")
        .contains("size 1000 <= 1500 on node1 eth0")
        .contains("kernel forwarded (in by ovn-k8s-mp0) out eth0 via 172.31.9.1")
        .contains("fact route 192.0.2.10 via 172.31.9.1 dev eth0")
        .contains("nat SNAT 10.244.1.4 -> 172.31.9.11 by MASQUERADE")
        .contains("rule nat/POSTROUTING #2 MASQUERADE: -A POSTROUTING -s 10.244.0.0/16")
        .contains("conntrack kernel 27/262144");
  }

  @Test
  void jsonAndYamlCarryTheSameFacts() throws Exception {
    String json = TraceRenderer.render(egress(), OutputFormat.json, false, Style.PLAIN);
    JsonNode node = new ObjectMapper().readTree(json).at("/endpoints/0/forward/nodes/0");
    assertThat(node.at("/kernel/result").asText()).isEqualTo("forwarded");
    assertThat(node.at("/kernel/device").asText()).isEqualTo("eth0");
    assertThat(node.at("/kernel/facts/1").asText()).isEqualTo("ip_forward 1");
    assertThat(node.at("/kernel/rules/0/chain").asText()).isEqualTo("POSTROUTING");
    assertThat(node.at("/sizeChecks/0/fits").asBoolean()).isTrue();
    assertThat(node.at("/sizeChecks/0/text").asText())
        .isEqualTo("1000 <= 1400 at default/client-1 eth0");
    assertThat(node.at("/podStacks/0/neighbour").asText()).startsWith("10.244.1.1 lladdr");
    String yaml = TraceRenderer.render(egress(), OutputFormat.yaml, false, Style.PLAIN);
    assertThat(yaml).contains("kernel:", "sizeChecks:", "podStacks:", "ip_forward 1");
  }

  @Test
  void dotLabelsNameASizeThatDoesNotFitAndTheKernelResult() {
    TraceResult r = egress();
    NodeTrace over =
        r.getEndpoints(0).getForward().getNodes(0).getTrace().toBuilder()
            .setSizeChecks(
                1,
                SizeCheck.newBuilder()
                    .setWhere("node1 eth0")
                    .setSize(1472)
                    .setOverhead(58)
                    .setMtu(1500)
                    .setFits(false))
            .build();
    TraceResult withOver =
        r.toBuilder()
            .setEndpoints(
                0,
                r.getEndpoints(0).toBuilder()
                    .setForward(
                        r.getEndpoints(0).getForward().toBuilder()
                            .setNodes(
                                0,
                                r.getEndpoints(0).getForward().getNodes(0).toBuilder()
                                    .setTrace(over))))
            .build();
    String dot = TraceRenderer.render(withOver, OutputFormat.dot, false, Style.PLAIN);
    assertThat(dot).contains("1472 + 58 > 1500 at node1 eth0").contains("kernel forwarded");
    assertThat(dot).doesNotContain("1000 <= 1400");
  }
}
