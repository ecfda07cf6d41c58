package io.podpath.aggregator.agents;

import com.google.protobuf.ByteString;
import io.podpath.aggregator.model.IpProtocol;
import io.podpath.aggregator.model.KernelResult;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.aggregator.model.Outcome;
import io.podpath.aggregator.model.TracedPacket;
import io.podpath.aggregator.model.TunnelOption;
import io.podpath.proto.v1.CtFlag;
import io.podpath.proto.v1.CtStateSet;
import io.podpath.proto.v1.DropInfo;
import io.podpath.proto.v1.GeneveOption;
import io.podpath.proto.v1.HostIngress;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.NetworkPolicyRef;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.OvsPortIngress;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TunnelIngress;
import io.podpath.proto.v1.TunnelOutput;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The agent edge's one mapping between the planner's records and the agent's wire types. */
public final class AgentProtos {
  private static final HexFormat HEX = HexFormat.of();

  private AgentProtos() {}

  /** The agent's whole answer, carried to the aggregator's API untouched. */
  public record AgentTrace(NodeTrace trace) implements NodeAnswer.Evidence {}

  public static TraceNodeRequest request(NodeQuery q) {
    TraceNodeRequest.Builder b =
        TraceNodeRequest.newBuilder()
            .setPacket(packet(q.packet()))
            .setIncludeRaw(q.includeRaw())
            .setIncludeConntrackEntries(q.includeConntrackEntries());
    if (q.ingress() instanceof NodeQuery.FromPod p) {
      b.setPod(PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name()));
    } else if (q.ingress() instanceof NodeQuery.FromHost) {
      b.setHost(HostIngress.newBuilder().setKind(HostIngress.Kind.KIND_LOCAL));
    } else if (q.ingress() instanceof NodeQuery.FromUplink u) {
      b.setHost(
          HostIngress.newBuilder().setKind(HostIngress.Kind.KIND_UPLINK).setInterface(u.device()));
    } else if (q.ingress() instanceof NodeQuery.FromOvsPort p) {
      b.setPort(OvsPortIngress.newBuilder().setBridge(p.bridge()).setOfport(p.ofport()));
    } else if (q.ingress() instanceof NodeQuery.FromTunnel t) {
      b.setTunnel(
          TunnelIngress.newBuilder()
              .setTunSrc(t.tunSrc())
              .setTunDst(t.tunDst())
              .setTunId(t.tunId())
              .addAllGeneveOptions(t.options().stream().map(AgentProtos::option).toList()));
    }
    q.lbBackend()
        .ifPresent(
            lb ->
                b.setLbBackend(
                    io.podpath.proto.v1.LbBackend.newBuilder().setIp(lb.ip()).setPort(lb.port())));
    if (q.reply()) {
      // OVN's allow-related ACL flows match ct.est && ct.rpl: trk,est alone drops the reply.
      b.addCtNext(
          CtStateSet.newBuilder()
              .addFlags(CtFlag.CT_FLAG_TRK)
              .addFlags(CtFlag.CT_FLAG_EST)
              .addFlags(CtFlag.CT_FLAG_RPL));
    }
    return b.build();
  }

  public static NodeAnswer answer(String node, NodeTrace t) {
    return new NodeAnswer(
        node,
        outcome(t.getOutcome()),
        t.hasKernel() ? kernel(t.getKernel()) : Optional.empty(),
        new AgentTrace(t));
  }

  static Optional<KernelResult> kernel(KernelHop k) {
    return switch (k.getResult()) {
      case RESULT_FORWARDED ->
          Optional.of(
              new KernelResult.Forwarded(
                  k.getDevice(), k.getGateway(), k.hasPacket() ? k.getPacket().getSrcIp() : ""));
      case RESULT_BACK_TO_OVS ->
          Optional.of(
              new KernelResult.BackToOvs(
                  k.getOvsBridge(), k.getOfport(), k.getDevice(), packet(k.getPacket())));
      case RESULT_DELIVERED_LOCAL ->
          Optional.of(
              new KernelResult.DeliveredLocal(k.hasPacket() ? k.getPacket().getDstIp() : ""));
      case RESULT_DROPPED -> Optional.of(new KernelResult.Dropped(k.getCauseCode(), k.getCause()));
      case RESULT_INCONCLUSIVE -> Optional.of(new KernelResult.Inconclusive(k.getCause()));
      case RESULT_UNSPECIFIED, UNRECOGNIZED -> Optional.empty();
    };
  }

  static Outcome outcome(TraceOutcome o) {
    return switch (o.getKind()) {
      case KIND_LOCAL_POD ->
          new Outcome.ToPod(
              o.getPortName(),
              o.hasPod()
                  ? Optional.of(
                      new Outcome.PodName(o.getPod().getNamespace(), o.getPod().getName()))
                  : Optional.empty(),
              o.getPodIp());
      case KIND_TUNNEL -> tunnel(o.getTunnel());
      case KIND_DROPPED ->
          new Outcome.Dropped(o.hasDrop() ? Optional.of(drop(o.getDrop())) : Optional.empty());
      case KIND_HOST -> new Outcome.LeavesOvs(Outcome.PortKind.HOST, o.getPortName());
      case KIND_GATEWAY -> new Outcome.LeavesOvs(Outcome.PortKind.GATEWAY, o.getPortName());
      case KIND_PATCH -> new Outcome.LeavesOvs(Outcome.PortKind.PATCH, o.getPortName());
      case KIND_OTHER_PORT -> new Outcome.LeavesOvs(Outcome.PortKind.OTHER_PORT, o.getPortName());
      case KIND_CONTROLLER -> new Outcome.ToController(o.getSummary());
      case KIND_RECIRCULATION -> new Outcome.Recirculated(o.getRecirculation(), o.getSummary());
      case KIND_MULTIPLE -> new Outcome.Multiple(o.getSummary());
      case KIND_UNSPECIFIED, UNRECOGNIZED -> new Outcome.Unknown();
    };
  }

  private static Outcome.ToTunnel tunnel(TunnelOutput t) {
    return new Outcome.ToTunnel(
        t.getPortName(),
        t.getRemoteIp(),
        t.getLocalIp(),
        t.getVni(),
        t.getGeneveOptionsList().stream().map(AgentProtos::option).toList(),
        t.hasInner() ? Optional.of(packet(t.getInner())) : Optional.empty(),
        t.getViaFabric());
  }

  private static Outcome.Drop drop(DropInfo d) {
    Optional<Outcome.Policy> policy =
        d.hasNetworkPolicy()
            ? Optional.of(
                new Outcome.Policy(
                    d.getNetworkPolicy().getNamespace(),
                    d.getNetworkPolicy().getName(),
                    direction(d.getNetworkPolicy().getDirection())))
            : Optional.empty();
    return new Outcome.Drop(d.getTable(), d.getReason(), policy, d.getCauseCode());
  }

  private static String direction(NetworkPolicyRef.Direction d) {
    return switch (d) {
      case DIRECTION_INGRESS -> "ingress";
      case DIRECTION_EGRESS -> "egress";
      default -> "";
    };
  }

  static TunnelOption option(GeneveOption o) {
    return new TunnelOption(
        o.getOptionClass(), o.getType(), HEX.formatHex(o.getValue().toByteArray()));
  }

  static GeneveOption option(TunnelOption o) {
    return GeneveOption.newBuilder()
        .setOptionClass(o.optionClass())
        .setType(o.type())
        .setValue(ByteString.copyFrom(HEX.parseHex(o.valueHex())))
        .build();
  }

  public static Packet packet(TracedPacket p) {
    Packet.Builder b =
        Packet.newBuilder()
            .setSrcIp(p.srcIp())
            .setDstIp(p.dstIp())
            .setProtocol(protocol(p.protocol()))
            .setSrcPort(p.srcPort())
            .setDstPort(p.dstPort())
            .setIcmpCode(p.icmpCode())
            .setSize(p.size())
            .setAllowFragmentation(p.allowFragmentation());
    p.icmpType().ifPresent(b::setIcmpType);
    p.link().ifPresent(l -> b.setSrcMac(l.srcMac()).setDstMac(l.dstMac()).setTtl(l.ttl()));
    return b.build();
  }

  public static TracedPacket packet(Packet p) {
    boolean link = !p.getSrcMac().isEmpty() || !p.getDstMac().isEmpty() || p.getTtl() != 0;
    return new TracedPacket(
        p.getSrcIp(),
        p.getDstIp(),
        protocol(p.getProtocol()),
        p.getSrcPort(),
        p.getDstPort(),
        p.hasIcmpType() ? OptionalInt.of(p.getIcmpType()) : OptionalInt.empty(),
        p.getIcmpCode(),
        link
            ? Optional.of(new TracedPacket.Link(p.getSrcMac(), p.getDstMac(), p.getTtl()))
            : Optional.empty(),
        p.getSize(),
        p.getAllowFragmentation());
  }

  public static Protocol protocol(IpProtocol p) {
    return switch (p) {
      case TCP -> Protocol.PROTOCOL_TCP;
      case UDP -> Protocol.PROTOCOL_UDP;
      case SCTP -> Protocol.PROTOCOL_SCTP;
      case ICMP -> Protocol.PROTOCOL_ICMP;
    };
  }

  /** The wire's protocol; unspecified reads as TCP, as the agent does. */
  public static IpProtocol protocol(Protocol p) {
    return switch (p) {
      case PROTOCOL_UDP -> IpProtocol.UDP;
      case PROTOCOL_SCTP -> IpProtocol.SCTP;
      case PROTOCOL_ICMP -> IpProtocol.ICMP;
      default -> IpProtocol.TCP;
    };
  }

  static List<TunnelOption> options(List<GeneveOption> options) {
    return options.stream().map(AgentProtos::option).toList();
  }
}
