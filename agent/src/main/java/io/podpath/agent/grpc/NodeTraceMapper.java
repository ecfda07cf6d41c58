package io.podpath.agent.grpc;

import com.google.protobuf.ByteString;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.ovn.AclInfo;
import io.podpath.agent.ovn.LoadBalancerInfo;
import io.podpath.agent.ovn.LogicalFlowInfo;
import io.podpath.agent.ovn.PolicyRef;
import io.podpath.agent.trace.DecodedStep;
import io.podpath.agent.trace.L4Protocol;
import io.podpath.agent.trace.NodeTraceResult;
import io.podpath.agent.trace.Outcome;
import io.podpath.agent.trace.PacketHeaders;
import io.podpath.agent.trace.TraceFinding;
import io.podpath.agent.trace.TraceStep;
import io.podpath.proto.v1.ConntrackFill;
import io.podpath.proto.v1.DropInfo;
import io.podpath.proto.v1.Finding;
import io.podpath.proto.v1.GeneveOption;
import io.podpath.proto.v1.NetworkPolicyRef;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.OvnAcl;
import io.podpath.proto.v1.OvnLoadBalancer;
import io.podpath.proto.v1.OvnLogicalFlow;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.Severity;
import io.podpath.proto.v1.TableStep;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TunnelOutput;

/** Maps a {@link NodeTraceResult} to the proto NodeTrace (records stop at the gRPC edge). */
public final class NodeTraceMapper {
  private NodeTraceMapper() {}

  public static NodeTrace toProto(NodeTraceResult r) {
    NodeTrace.Builder b =
        NodeTrace.newBuilder()
            .setNode(r.node())
            .setBridge(r.bridge())
            .setFlow(r.flow())
            .setFinalFlow(r.finalFlow())
            .setDatapathActions(r.datapathActions())
            .setOutcome(outcome(r.outcome()))
            .setRaw(r.raw())
            .setVia(r.via());
    for (DecodedStep s : r.steps()) {
      TraceStep t = s.step();
      TableStep.Builder ts =
          TableStep.newBuilder()
              .setTable(t.table())
              .setPriority(Math.max(0, t.priority()))
              .setCookie(t.cookie())
              .setMatch(t.matched() ? t.match() : "No match.")
              .setActions(String.join(", ", t.actions()))
              .setDepth(t.depth())
              .setRecirculation(t.recirculation());
      s.logicalFlow().ifPresent(f -> ts.setLogicalFlow(flow(f)));
      b.addSteps(ts);
    }
    r.findings().forEach(f -> b.addFindings(finding(f)));
    r.kernel().ifPresent(k -> b.setKernel(KernelHopMapper.toProto(k)));
    for (io.podpath.agent.trace.SizeCheck c : r.sizeChecks()) {
      b.addSizeChecks(
          io.podpath.proto.v1.SizeCheck.newBuilder()
              .setWhere(c.where())
              .setSize(c.size())
              .setOverhead(c.overhead())
              .setMtu(c.mtu())
              .setFits(c.fits())
              .setText(c.text()));
    }
    r.conntrack()
        .fills()
        .forEach(
            f ->
                b.addConntrack(
                    ConntrackFill.newBuilder()
                        .setTable(f.table())
                        .setCount(f.count())
                        .setMax(f.max())
                        .setFull(f.full())));
    b.addAllConntrackEntries(r.conntrack().entries());
    return b.build();
  }

  static TraceOutcome outcome(Outcome o) {
    TraceOutcome.Builder b =
        TraceOutcome.newBuilder()
            .setKind(TraceOutcome.Kind.valueOf("KIND_" + o.kind().name()))
            .setSummary(o.summary())
            .setPortName(o.portName())
            .setOfport(o.ofport())
            .setRecirculation(o.recirculation())
            .setPodIp(o.podIp());
    o.pod()
        .ifPresent(
            p -> b.setPod(PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name())));
    o.tunnel().ifPresent(t -> b.setTunnel(tunnel(t)));
    o.drop().ifPresent(d -> b.setDrop(drop(d)));
    return b.build();
  }

  static TunnelOutput tunnel(Outcome.Tunnel t) {
    TunnelOutput.Builder b =
        TunnelOutput.newBuilder()
            .setPortName(t.portName())
            .setOfport(t.ofport())
            .setType(t.type())
            .setRemoteIp(t.remoteIp())
            .setLocalIp(t.localIp())
            .setVni(t.vni())
            .setInnerFlow(t.innerFlow())
            .setViaFabric(t.viaFabric());
    for (var g : t.geneveOptions()) { // the domain GeneveOption, named like the proto one
      b.addGeneveOptions(
          GeneveOption.newBuilder()
              .setOptionClass(g.optionClass())
              .setType(g.type())
              .setValue(ByteString.copyFrom(g.value())));
    }
    t.inner().ifPresent(p -> b.setInner(packet(p)));
    return b.build();
  }

  static Packet packet(PacketHeaders p) {
    Packet.Builder b =
        Packet.newBuilder()
            .setSrcIp(IpLiteral.format(p.src()))
            .setDstIp(IpLiteral.format(p.dst()))
            .setProtocol(
                switch (p.protocol()) {
                  case TCP -> Protocol.PROTOCOL_TCP;
                  case UDP -> Protocol.PROTOCOL_UDP;
                  case SCTP -> Protocol.PROTOCOL_SCTP;
                  case ICMP -> Protocol.PROTOCOL_ICMP;
                })
            .setSrcPort(p.srcPort())
            .setDstPort(p.dstPort())
            .setTtl(p.ttl());
    if (p.protocol() == L4Protocol.ICMP) {
      b.setIcmpType(p.icmpType()).setIcmpCode(p.icmpCode());
    }
    p.srcMac().ifPresent(m -> b.setSrcMac(m.toString()));
    p.dstMac().ifPresent(m -> b.setDstMac(m.toString()));
    return b.build();
  }

  static DropInfo drop(Outcome.Drop d) {
    DropInfo.Builder b =
        DropInfo.newBuilder()
            .setTable(Math.max(0, d.table()))
            .setCookie(d.cookie())
            .setReason(d.reason())
            .setCauseCode(d.causeCode());
    d.policy().ifPresent(p -> b.setNetworkPolicy(policy(p)));
    d.logicalFlow().ifPresent(f -> b.setLogicalFlow(flow(f)));
    return b.build();
  }

  static OvnLogicalFlow flow(LogicalFlowInfo f) {
    OvnLogicalFlow.Builder b =
        OvnLogicalFlow.newBuilder()
            .setUuid(f.uuid())
            .setPipeline(f.pipeline())
            .setTable(Math.max(0, f.tableId().orElse(0)))
            .setStage(f.stage().orElse(""))
            .setMatch(f.match())
            .setActions(f.actions())
            .setPriority(Math.max(0, f.priority().orElse(0)))
            .setDatapath(f.datapath().orElse(""));
    f.acl().ifPresent(a -> b.setAcl(acl(a)));
    f.loadBalancer().ifPresent(l -> b.setLoadBalancer(lb(l)));
    f.policy().ifPresent(p -> b.setNetworkPolicy(policy(p)));
    return b.build();
  }

  static OvnAcl acl(AclInfo a) {
    return OvnAcl.newBuilder()
        .setUuid(a.uuid())
        .setAction(a.action())
        .setDirection(a.direction())
        .setMatch(a.match())
        .setPriority(Math.max(0, a.priority().orElse(0)))
        .setName(a.name())
        .putAllExternalIds(a.externalIds())
        .build();
  }

  static OvnLoadBalancer lb(LoadBalancerInfo l) {
    return OvnLoadBalancer.newBuilder()
        .setUuid(l.uuid())
        .setName(l.name())
        .putAllVips(l.vips())
        .putAllExternalIds(l.externalIds())
        .build();
  }

  static NetworkPolicyRef policy(PolicyRef p) {
    return NetworkPolicyRef.newBuilder()
        .setNamespace(p.namespace())
        .setName(p.name())
        .setDirection(
            switch (p.direction()) {
              case INGRESS -> NetworkPolicyRef.Direction.DIRECTION_INGRESS;
              case EGRESS -> NetworkPolicyRef.Direction.DIRECTION_EGRESS;
              case UNSPECIFIED -> NetworkPolicyRef.Direction.DIRECTION_UNSPECIFIED;
            })
        .build();
  }

  static Finding finding(TraceFinding f) {
    return Finding.newBuilder()
        .setSeverity(
            switch (f.severity()) {
              case INFO -> Severity.SEVERITY_INFO;
              case WARNING -> Severity.SEVERITY_WARNING;
              case ERROR -> Severity.SEVERITY_ERROR;
            })
        .setCode(f.code())
        .setMessage(f.message())
        .build();
  }
}
