package io.podpath.agent.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.podpath.agent.node.NodeFacts;
import io.podpath.agent.ovn.AclInfo;
import io.podpath.agent.ovn.LogicalFlowInfo;
import io.podpath.agent.pod.PodFacts;
import io.podpath.agent.pod.PodKey;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.OvnAcl;
import io.podpath.proto.v1.OvnLogicalFlow;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.TunnelPort;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Absent pod and node facts keep their wire values: empty strings, 0, and a pod's ofport -1 ("no
 * port").
 */
class FactsMapperTest {
  private static final PodKey WEB = new PodKey("default", "web-1");

  @Test
  void absentFactsAreEmptyOrZeroAndOfportMinusOne() {
    PodInspection i = ProtoMapper.pod(PodFacts.builder(WEB, "node1", "ovn-kubernetes").build());
    assertThat(List.of(i.getNetns(), i.getPodInterface(), i.getHostInterface(), i.getBridge()))
        .containsOnly("");
    assertThat(List.of(i.getOvsPort(), i.getIfaceId(), i.getMac())).containsOnly("");
    assertThat(List.of(i.getIfindex(), i.getIflink(), i.getHostIfindex(), i.getMtu()))
        .containsOnly(0);
    assertThat(i.getOfport()).isEqualTo(-1);
    assertThat(i.getCni()).isEqualTo("ovn-kubernetes");
  }

  @Test
  void presentFactsAreCopied() {
    PodFacts f =
        PodFacts.builder(WEB, "node1", "ovn-kubernetes")
            .netns(Optional.of("/var/run/netns/web-1"))
            .podInterface(Optional.of("eth0"))
            .ifindex(OptionalInt.of(2))
            .iflink(OptionalInt.of(9))
            .hostInterface(Optional.of("veth1"))
            .hostIfindex(OptionalInt.of(9))
            .bridge(Optional.of("br-int"))
            .ovsPort(Optional.of("veth1"))
            .ofport(OptionalInt.of(5))
            .ifaceId(Optional.of(WEB.ifaceId()))
            .mac(Optional.of("0a:58:0a:f4:00:05"))
            .ips(List.of("10.244.0.5"))
            .mtu(OptionalInt.of(1400))
            .build();
    PodInspection i = ProtoMapper.pod(f);
    assertThat(i.getNetns()).isEqualTo("/var/run/netns/web-1");
    assertThat(i.getPodInterface()).isEqualTo("eth0");
    assertThat(i.getIfindex()).isEqualTo(2);
    assertThat(i.getIflink()).isEqualTo(9);
    assertThat(i.getHostInterface()).isEqualTo("veth1");
    assertThat(i.getHostIfindex()).isEqualTo(9);
    assertThat(i.getBridge()).isEqualTo("br-int");
    assertThat(i.getOvsPort()).isEqualTo("veth1");
    assertThat(i.getOfport()).isEqualTo(5);
    assertThat(i.getIfaceId()).isEqualTo("default_web-1");
    assertThat(i.getMac()).isEqualTo("0a:58:0a:f4:00:05");
    assertThat(i.getIpsList()).containsExactly("10.244.0.5");
    assertThat(i.getMtu()).isEqualTo(1400);
  }

  @Test
  void absentNodeFactsAreEmptyOrZero() {
    NodeInfo i = ProtoMapper.node(NodeFacts.builder("node1", "br-int").build());
    assertThat(i.getNodeName()).isEqualTo("node1");
    assertThat(i.getIntegrationBridge()).isEqualTo("br-int");
    assertThat(List.of(i.getOvsVersion(), i.getOvnVersion(), i.getEncapIp(), i.getEncapType()))
        .containsOnly("");
    assertThat(List.of(i.getOvnRemote(), i.getSystemId(), i.getCni())).containsOnly("");
    assertThat(List.of(i.getUnderlayMtu(), i.getPodMtu())).containsOnly(0);
  }

  @Test
  void absentLogicalFlowFieldsAreEmptyOrZero() {
    OvnLogicalFlow f =
        NodeTraceMapper.flow(
            LogicalFlowInfo.builder("u1").pipeline("ingress").match("1").actions("next;").build());
    assertThat(List.of(f.getStage(), f.getDatapath())).containsOnly("");
    assertThat(List.of(f.getTable(), f.getPriority())).containsOnly(0);
    assertThat(f.hasAcl() || f.hasLoadBalancer() || f.hasNetworkPolicy()).isFalse();
  }

  @Test
  void aTunnelsAbsentFactsAreTheWireDefaultsTheyWereBefore() {
    var absent =
        new NodeFacts.TunnelFacts(
            "ovn-node2-0",
            "geneve",
            "172.31.3.12",
            Optional.empty(),
            OptionalInt.empty(),
            "br-int",
            Optional.empty(),
            Optional.empty());
    TunnelPort t = tunnel(absent);
    // "" and 0: what the agent sent when these were sentinels; a change breaks older aggregators
    assertThat(t)
        .isEqualTo(
            TunnelPort.newBuilder()
                .setName("ovn-node2-0")
                .setType("geneve")
                .setRemoteIp("172.31.3.12")
                .setLocalIp("")
                .setOfport(0)
                .setBridge("br-int")
                .setKey("")
                .setError("")
                .build());
    assertThat(t.toByteString()).isEqualTo(tunnelBytes("ovn-node2-0", "geneve", "172.31.3.12"));
  }

  @Test
  void aTunnelsPresentFactsAreCopied() {
    TunnelPort t =
        tunnel(
            new NodeFacts.TunnelFacts(
                "vx0",
                "vxlan",
                "flow",
                Optional.of("172.31.3.11"),
                OptionalInt.of(7),
                "br-ex",
                Optional.of("flow"),
                Optional.of("could not add network device vx0 to ofproto (File exists)")));
    assertThat(List.of(t.getLocalIp(), t.getKey())).containsExactly("172.31.3.11", "flow");
    assertThat(t.getOfport()).isEqualTo(7);
    assertThat(t.getError()).startsWith("could not add network device vx0");
  }

  @Test
  void anAclWithoutPriorityIsPriorityZeroOnTheWire() {
    OvnAcl none = NodeTraceMapper.acl(acl(OptionalInt.empty()));
    assertThat(none.getPriority()).isZero();
    assertThat(none).isEqualTo(NodeTraceMapper.acl(acl(OptionalInt.of(0))));
    assertThat(NodeTraceMapper.acl(acl(OptionalInt.of(1000))).getPriority()).isEqualTo(1000);
  }

  private static TunnelPort tunnel(NodeFacts.TunnelFacts t) {
    NodeInfo n = ProtoMapper.node(NodeFacts.builder("node1", "br-int").tunnels(List.of(t)).build());
    assertThat(n.getTunnelsList()).hasSize(1);
    return n.getTunnels(0);
  }

  /** The message with only the three strings set: proto3 writes no default-valued field. */
  private static ByteString tunnelBytes(String name, String type, String ip) {
    return TunnelPort.newBuilder()
        .setName(name)
        .setType(type)
        .setRemoteIp(ip)
        .setBridge("br-int")
        .build()
        .toByteString();
  }

  private static AclInfo acl(OptionalInt priority) {
    return new AclInfo("9a0d", "drop", "to-lport", "ip4", priority, "", Map.of());
  }
}
