package io.podpath.aggregator.render;

import io.podpath.common.HostPort;
import io.podpath.proto.v1.DropInfo;
import io.podpath.proto.v1.GeneveOption;
import io.podpath.proto.v1.NetworkPolicyRef;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TunnelOutput;
import java.util.HexFormat;
import java.util.Locale;

/** Short human phrases for proto values, shared by every renderer. */
final class Describe {
  private Describe() {}

  static String protocol(Protocol p) {
    return p.name().replace("PROTOCOL_", "").toLowerCase(Locale.ROOT);
  }

  static String packet(Packet p) {
    String proto = protocol(p.getProtocol());
    if (p.getProtocol() == Protocol.PROTOCOL_ICMP) {
      return proto
          + " "
          + p.getSrcIp()
          + " -> "
          + p.getDstIp()
          + (p.hasIcmpType() ? " type " + p.getIcmpType() : "");
    }
    return proto
        + " "
        + hostPort(p.getSrcIp(), p.getSrcPort())
        + " -> "
        + hostPort(p.getDstIp(), p.getDstPort());
  }

  static String hostPort(String ip, int port) {
    return HostPort.of(ip, port);
  }

  static String vni(long vni) {
    return "0x" + Long.toHexString(vni);
  }

  static String tunnel(TunnelOutput t) {
    return (t.getType().isEmpty() ? "tunnel" : t.getType())
        + " "
        + t.getLocalIp()
        + " -> "
        + t.getRemoteIp()
        + " vni "
        + vni(t.getVni())
        + (t.getPortName().isEmpty() ? "" : " (port " + t.getPortName() + ")");
  }

  static String geneve(GeneveOption o) {
    return String.format(
        "{class=0x%x,type=0x%x,len=%d,0x%s}",
        o.getOptionClass(),
        o.getType(),
        o.getValue().size(),
        HexFormat.of().formatHex(o.getValue().toByteArray()));
  }

  static String policy(NetworkPolicyRef p) {
    String dir =
        switch (p.getDirection()) {
          case DIRECTION_INGRESS -> " (ingress)";
          case DIRECTION_EGRESS -> " (egress)";
          default -> "";
        };
    return "NetworkPolicy " + p.getNamespace() + "/" + p.getName() + dir;
  }

  static String drop(DropInfo d) {
    if (!d.getCauseCode().isEmpty()) {
      return "dropped: " + d.getReason(); // a kernel, size or pod-stack cause, not a flow table
    }
    StringBuilder sb = new StringBuilder("dropped in table ").append(d.getTable());
    if (!d.getReason().isEmpty()) {
      sb.append(" (").append(d.getReason()).append(')');
    }
    if (d.hasNetworkPolicy()) {
      sb.append(" by ").append(policy(d.getNetworkPolicy()));
    }
    return sb.toString();
  }

  static String kind(TraceOutcome.Kind k) {
    return k.name().replace("KIND_", "").toLowerCase(Locale.ROOT);
  }

  /**
   * A recirculation ends one ofproto/trace pass (conntrack, NAT, an OVN load balancer), not the
   * packet: the verdict and the notes say whether podpath continued after it.
   */
  static String recirculation(String recirc) {
    int colon = recirc.indexOf(':');
    String id = colon < 0 ? recirc : recirc.substring(0, colon);
    return "recirculates through conntrack/NAT ("
        + id
        + "): the trace pass ends here, not the packet";
  }

  /** One line for a node's outcome. */
  static String outcome(TraceOutcome o) {
    return switch (o.getKind()) {
      case KIND_TUNNEL -> "leaves by " + tunnel(o.getTunnel());
      case KIND_DROPPED -> o.hasDrop() ? drop(o.getDrop()) : "dropped";
      case KIND_LOCAL_POD ->
          "delivered to "
              + (o.hasPod()
                  ? "pod " + o.getPod().getNamespace() + "/" + o.getPod().getName() + " "
                  : o.getPodIp().isEmpty() ? "" : "the pod with IP " + o.getPodIp() + " ")
              + "(port "
              + o.getPortName()
              + (o.getOfport() == 0 ? "" : ", ofport " + o.getOfport())
              + ")";
      case KIND_RECIRCULATION -> recirculation(o.getRecirculation());
      default ->
          !o.getSummary().isEmpty() ? o.getSummary() : kind(o.getKind()) + " " + o.getPortName();
    };
  }
}
