package io.podpath.agent.grpc;

import io.podpath.agent.ip.IpRoute;
import io.podpath.agent.node.NodeFacts;
import io.podpath.agent.pod.PodFacts;
import io.podpath.proto.v1.Bridge;
import io.podpath.proto.v1.Finding;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Route;
import io.podpath.proto.v1.Severity;
import io.podpath.proto.v1.TunnelPort;

/** Records inside, proto at the edge: the mapping, field by field. */
final class ProtoMapper {
  private ProtoMapper() {}

  static NodeInfo node(NodeFacts n) {
    NodeInfo.Builder b =
        NodeInfo.newBuilder()
            .setNodeName(n.nodeName())
            .setOvsVersion(n.ovsVersion().orElse(""))
            .setOvnVersion(n.ovnVersion().orElse(""))
            .setEncapIp(n.encapIp().orElse(""))
            .setEncapType(n.encapType().orElse(""))
            .setUnderlayMtu(n.underlayMtu().orElse(0))
            .setPodMtu(n.podMtu().orElse(0))
            .setIntegrationBridge(n.integrationBridge())
            .setOvnRemote(n.ovnRemote().orElse(""))
            .setSystemId(n.systemId().orElse(""))
            .setCni(n.cni().orElse(""))
            .addAllCniEvidence(n.cniEvidence());
    n.bridges()
        .forEach(
            br ->
                b.addBridges(
                    Bridge.newBuilder()
                        .setName(br.name())
                        .setDatapathType(br.datapathType())
                        .setPortCount(br.portCount())));
    n.tunnels()
        .forEach(
            t ->
                b.addTunnels(
                    TunnelPort.newBuilder()
                        .setName(t.name())
                        .setType(t.type())
                        .setRemoteIp(t.remoteIp())
                        .setLocalIp(t.localIp().orElse(""))
                        .setOfport(t.ofport().orElse(0))
                        .setBridge(t.bridge())
                        .setKey(t.key().orElse(""))
                        .setError(t.error().orElse(""))));
    return b.build();
  }

  static PodInspection pod(PodFacts p) {
    PodInspection.Builder b =
        PodInspection.newBuilder()
            .setPod(PodRef.newBuilder().setNamespace(p.pod().namespace()).setName(p.pod().name()))
            .setNode(p.node())
            .setNetns(p.netns().orElse(""))
            .setPodInterface(p.podInterface().orElse(""))
            .setIfindex(p.ifindex().orElse(0))
            .setIflink(p.iflink().orElse(0))
            .setHostInterface(p.hostInterface().orElse(""))
            .setHostIfindex(p.hostIfindex().orElse(0))
            .setBridge(p.bridge().orElse(""))
            .setOvsPort(p.ovsPort().orElse(""))
            .setOfport(p.ofport().orElse(-1))
            .setIfaceId(p.ifaceId().orElse(""))
            .setMac(p.mac().orElse(""))
            .addAllIps(p.ips())
            .setMtu(p.mtu().orElse(0))
            .setCni(p.cni());
    p.routes().forEach(r -> b.addRoutes(route(r)));
    // the domain Finding shares the proto message's simple name: typed by inference only
    p.findings()
        .forEach(
            f ->
                b.addFindings(
                    Finding.newBuilder()
                        .setSeverity(
                            switch (f.severity()) {
                              case INFO -> Severity.SEVERITY_INFO;
                              case WARNING -> Severity.SEVERITY_WARNING;
                              case ERROR -> Severity.SEVERITY_ERROR;
                            })
                        .setCode(f.code())
                        .setMessage(f.message())));
    return b.build();
  }

  static Route route(IpRoute r) {
    return Route.newBuilder()
        .setDestination(r.destination())
        .setGateway(r.gateway())
        .setDevice(r.device())
        .setProtocol(r.protocol())
        .setScope(r.scope())
        .setSource(r.source())
        .setMtu(r.mtu())
        .build();
  }
}
