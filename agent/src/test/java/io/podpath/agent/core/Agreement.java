package io.podpath.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Route;
import io.podpath.proto.v1.Severity;
import io.podpath.proto.v1.TunnelPort;
import io.podpath.testkit.Node;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import java.util.ArrayList;
import java.util.List;

/** What the agent says vs what ip -j and ovs-vsctl say, field by field (the sandbox's truth). */
final class Agreement {
  private Agreement() {}

  private static String unquote(String s) {
    return s.replace("\"", "");
  }

  static void node(Sandbox sandbox, Node n, NodeInfo info, boolean ovn) throws Exception {
    assertThat(info.getNodeName()).isEqualTo(n.name());
    assertThat(info.getEncapIp()).isEqualTo(n.ip());
    assertThat(info.getEncapType()).isEqualTo("geneve");
    assertThat(info.getIntegrationBridge()).isEqualTo("br-int");
    assertThat(info.getOvsVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
    if (ovn) {
      assertThat(info.getOvnVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
      assertThat(info.getSystemId())
          .isEqualTo(unquote(Sh.vsctl(n, "get", "Open_vSwitch", ".", "external_ids:system-id")));
      assertThat(info.getOvnRemote())
          .isEqualTo(unquote(Sh.vsctl(n, "get", "Open_vSwitch", ".", "external_ids:ovn-remote")));
    } else {
      assertThat(info.getOvnVersion()).isEmpty();
      assertThat(info.getOvnRemote()).isEmpty();
    }
    assertThat(info.getBridgesList()).extracting(b -> b.getName()).contains("br-int", "br-phy");
    // one Geneve tunnel per peer, remote_ip = the peer's underlay IP
    List<String> peers =
        sandbox.nodes().stream().filter(p -> !p.name().equals(n.name())).map(Node::ip).toList();
    assertThat(info.getTunnelsList())
        .extracting(TunnelPort::getRemoteIp)
        .containsExactlyInAnyOrderElementsOf(peers);
    for (TunnelPort t : info.getTunnelsList()) {
      assertThat(t.getType()).isEqualTo("geneve");
      assertThat(t.getBridge()).isEqualTo("br-int");
      assertThat(t.getError()).isEmpty();
      assertThat(String.valueOf(t.getOfport()))
          .isEqualTo(Sh.vsctl(n, "get", "Interface", t.getName(), "ofport"));
    }
    // underlay MTU: the link carrying the node IP, as ip -j sees it in the node netns
    int mtu = -1;
    for (JsonNode l : Sh.json("ip", "-n", n.netns(), "-j", "addr", "show")) {
      for (JsonNode a : l.path("addr_info")) {
        if (a.path("local").asText().equals(n.ip())) {
          mtu = l.path("mtu").asInt();
        }
      }
    }
    assertThat(info.getUnderlayMtu()).isEqualTo(mtu).isEqualTo(sandbox.spec().underlayMtu());
    assertThat(info.getPodMtu()).isEqualTo(sandbox.spec().podMtu());
  }

  static void pod(Sandbox sandbox, Pod p, AgentServiceBlockingStub stub) throws Exception {
    Node n = sandbox.node(p.node());
    PodInspection i =
        stub.inspectPod(
            InspectPodRequest.newBuilder()
                .setPod(PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name()))
                .build());
    String what = p.namespace() + "/" + p.name();
    assertThat(i.getFindingsList())
        .as(what)
        .noneMatch(f -> f.getSeverity() != Severity.SEVERITY_INFO);
    assertThat(i.getNode()).isEqualTo(p.node());
    assertThat(i.getNetns()).as(what).isEqualTo("/var/run/netns/" + p.netns());
    // pod side: ip -j in the pod's netns
    JsonNode eth0 = Sh.json("ip", "-n", p.netns(), "-j", "addr", "show", "dev", "eth0").get(0);
    assertThat(i.getPodInterface()).isEqualTo("eth0");
    assertThat(i.getIfindex()).as(what).isEqualTo(eth0.get("ifindex").asInt());
    assertThat(i.getIflink()).as(what).isEqualTo(eth0.get("link_index").asInt());
    assertThat(i.getMac()).as(what).isEqualTo(eth0.get("address").asText()).isEqualTo(p.mac());
    assertThat(i.getMtu()).as(what).isEqualTo(eth0.get("mtu").asInt());
    List<String> ips = new ArrayList<>();
    eth0.get("addr_info")
        .forEach(
            a -> {
              if (!a.path("scope").asText().equals("link")) {
                ips.add(a.get("local").asText());
              }
            });
    assertThat(i.getIpsList()).as(what).containsExactlyElementsOf(ips).contains(p.ip());
    List<String> routes = new ArrayList<>();
    for (String fam : List.of("-4", "-6")) {
      Sh.json("ip", "-n", p.netns(), "-j", fam, "route", "show")
          .forEach(
              r ->
                  routes.add(
                      r.get("dst").asText()
                          + " via "
                          + r.path("gateway").asText("")
                          + " dev "
                          + r.path("dev").asText("")));
    }
    assertThat(i.getRoutesList())
        .extracting(
            (Route r) -> r.getDestination() + " via " + r.getGateway() + " dev " + r.getDevice())
        .as(what)
        .containsExactlyElementsOf(routes);
    // host side: ip -j in the node netns (the veth's peer is the pod's eth0, both ways)
    JsonNode veth =
        Sh.json("ip", "-n", n.netns(), "-j", "link", "show", "dev", p.hostInterface()).get(0);
    assertThat(i.getHostInterface()).as(what).isEqualTo(p.hostInterface());
    assertThat(i.getHostIfindex())
        .as(what)
        .isEqualTo(veth.get("ifindex").asInt())
        .isEqualTo(i.getIflink());
    assertThat(veth.get("link_index").asInt()).as(what).isEqualTo(i.getIfindex());
    // OVS side: ovs-vsctl against the node's db
    String ifaceId = p.namespace() + "_" + p.name();
    assertThat(i.getIfaceId()).isEqualTo(ifaceId);
    assertThat(
            unquote(
                Sh.vsctl(
                    n,
                    "--bare",
                    "--columns=name",
                    "find",
                    "Interface",
                    "external_ids:iface-id=" + ifaceId)))
        .isEqualTo(i.getHostInterface());
    assertThat(String.valueOf(i.getOfport()))
        .isEqualTo(Sh.vsctl(n, "get", "Interface", p.hostInterface(), "ofport"));
    assertThat(i.getOvsPort())
        .isEqualTo(unquote(Sh.vsctl(n, "get", "Port", p.hostInterface(), "name")));
    assertThat(i.getBridge()).isEqualTo(Sh.vsctl(n, "port-to-br", p.hostInterface()));
    // lookup by IP gives the same answer
    PodInspection byIp = stub.inspectPod(InspectPodRequest.newBuilder().setIp(p.ip()).build());
    assertThat(byIp).as(what).isEqualTo(i);
  }
}
