package io.podpath.agent.grpc;

import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.pod.PodKey;
import io.podpath.agent.trace.CtState;
import io.podpath.agent.trace.GeneveOption;
import io.podpath.agent.trace.L4Protocol;
import io.podpath.agent.trace.LbBackend;
import io.podpath.agent.trace.PacketHeaders;
import io.podpath.agent.trace.PodName;
import io.podpath.agent.trace.TraceSpec;
import io.podpath.agent.trace.TunnelMatch;
import io.podpath.proto.v1.CtFlag;
import io.podpath.proto.v1.CtStateSet;
import io.podpath.proto.v1.HostIngress;
import io.podpath.proto.v1.OvsPortIngress;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TunnelIngress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates a TraceNodeRequest into a {@link TraceSpec}; every field is checked and typed. */
public final class TraceRequests {
  static final int MAX_CT_NEXT = 16;
  private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

  private TraceRequests() {}

  public static TraceSpec fromProto(TraceNodeRequest r) {
    TraceSpec.Ingress ingress =
        switch (r.getIngressCase()) {
          case POD -> {
            PodKey k = RequestValidator.pod(r.getPod(), "pod");
            yield new TraceSpec.FromPod(new PodName(k.namespace(), k.name()));
          }
          case TUNNEL -> new TraceSpec.FromTunnel(tunnel(r.getTunnel()));
          case PORT -> hostPort(r.getPort());
          case HOST -> host(r.getHost());
          default ->
              throw new InvalidArgumentException(
                  "ingress", "a pod, a tunnel or an OVS port is required");
        };
    if (!r.hasPacket()) {
      throw new InvalidArgumentException("packet", "required");
    }
    if (r.getCtNextCount() > MAX_CT_NEXT) {
      throw new InvalidArgumentException("ct_next", "at most " + MAX_CT_NEXT + " entries");
    }
    List<Set<CtState>> ct = new ArrayList<>();
    for (int i = 0; i < r.getCtNextCount(); i++) {
      ct.add(ctStates(r.getCtNext(i), "ct_next[" + i + "]"));
    }
    PacketHeaders packet =
        ingress instanceof TraceSpec.FromHost
            ? hostPacket(r.getPacket())
            : ingress instanceof TraceSpec.FromUplink
                ? uplinkPacket(r.getPacket())
                : packet(r.getPacket());
    TraceSpec spec =
        new TraceSpec(
            ingress,
            packet,
            ct,
            r.getIncludeRaw(),
            (int) RequestValidator.range(r.getPacket().getSize(), 0, 65535, "packet.size"),
            !r.getPacket().getAllowFragmentation(),
            r.hasLbBackend() ? Optional.of(lbBackend(r, packet)) : Optional.empty());
    if (spec.size() > 0 && spec.size() < new TraceSpec(ingress, packet, ct, false).ipLength()) {
      throw new InvalidArgumentException(
          "packet.size",
          "must be 0 (headers only) or at least the IP and L4 headers ("
              + new TraceSpec(ingress, packet, ct, false).ipLength()
              + " bytes)");
    }
    return spec;
  }

  /**
   * The backend to continue through: an address of the packet's family, a port when it has ports.
   */
  static LbBackend lbBackend(TraceNodeRequest r, PacketHeaders packet) {
    InetAddress ip = RequestValidator.ip(r.getLbBackend().getIp(), "lb_backend.ip");
    if ((ip instanceof Inet6Address) != packet.ipv6()) {
      throw new InvalidArgumentException("lb_backend.ip", "must be of the packet's family");
    }
    int port;
    if (packet.protocol().hasPorts()) {
      port = RequestValidator.port(r.getLbBackend().getPort(), "lb_backend.port", false);
    } else if (r.getLbBackend().getPort() != 0) {
      throw new InvalidArgumentException("lb_backend.port", "ICMP has no ports");
    } else {
      port = 0;
    }
    return new LbBackend(ip, port);
  }

  static PacketHeaders packet(Packet p) {
    InetAddress src = RequestValidator.ip(p.getSrcIp(), "packet.src_ip");
    InetAddress dst = RequestValidator.ip(p.getDstIp(), "packet.dst_ip");
    L4Protocol proto =
        switch (p.getProtocol()) {
          case PROTOCOL_TCP -> L4Protocol.TCP;
          case PROTOCOL_UDP -> L4Protocol.UDP;
          case PROTOCOL_SCTP -> L4Protocol.SCTP;
          case PROTOCOL_ICMP -> L4Protocol.ICMP;
          default -> throw new InvalidArgumentException("packet.protocol", "required");
        };
    boolean v6 = src instanceof Inet6Address;
    int srcPort = 0;
    int dstPort = 0;
    int type = 0;
    int code = 0;
    if (proto.hasPorts()) {
      srcPort = RequestValidator.port(p.getSrcPort(), "packet.src_port", true);
      srcPort = srcPort == 0 ? PacketHeaders.DEFAULT_SRC_PORT : srcPort;
      dstPort = RequestValidator.port(p.getDstPort(), "packet.dst_port", false);
      if (p.hasIcmpType() || p.getIcmpCode() != 0) {
        throw new InvalidArgumentException("packet.icmp_type", "only for ICMP");
      }
    } else {
      if (p.getSrcPort() != 0 || p.getDstPort() != 0) {
        throw new InvalidArgumentException("packet.dst_port", "ICMP has no ports");
      }
      type =
          p.hasIcmpType()
              ? (int) RequestValidator.range(p.getIcmpType(), 0, 255, "packet.icmp_type")
              : PacketHeaders.echoRequestType(v6);
      code = (int) RequestValidator.range(p.getIcmpCode(), 0, 255, "packet.icmp_code");
    }
    int ttl =
        p.getTtl() == 0
            ? PacketHeaders.DEFAULT_TTL
            : (int) RequestValidator.range(p.getTtl(), 1, 255, "packet.ttl");
    return new PacketHeaders(
        src,
        dst,
        proto,
        srcPort,
        dstPort,
        type,
        code,
        RequestValidator.mac(p.getSrcMac(), "packet.src_mac"),
        RequestValidator.mac(p.getDstMac(), "packet.dst_mac"),
        ttl);
  }

  /**
   * KIND_LOCAL: the node's own stack sends it. KIND_UPLINK: it arrives from outside the cluster on
   * the named interface, or on the one the node routes its source by.
   */
  static TraceSpec.Ingress host(HostIngress h) {
    if (h.getKind() == HostIngress.Kind.KIND_UPLINK) {
      String dev = h.getInterface();
      if (!dev.isEmpty() && !BRIDGE.matcher(dev).matches()) {
        throw new InvalidArgumentException(
            "host.interface", "must be an interface name (1-15 of A-Z a-z 0-9 _ . -)");
      }
      return new TraceSpec.FromUplink(dev.isEmpty() ? Optional.empty() : Optional.of(dev));
    }
    if (h.getKind() != HostIngress.Kind.KIND_LOCAL) {
      throw new InvalidArgumentException(
          "host.kind", "KIND_LOCAL (the node sends it) or KIND_UPLINK (it arrives from outside)");
    }
    if (!h.getInterface().isEmpty()) {
      throw new InvalidArgumentException(
          "host.interface", "only for KIND_UPLINK; KIND_LOCAL packets arrive on no interface");
    }
    return new TraceSpec.FromHost();
  }

  /**
   * A packet the node sends: an empty src_ip is the source the kernel chooses (0.0.0.0, or :: for
   * an IPv6 destination, until the route lookup fills it in).
   */
  static PacketHeaders hostPacket(Packet p) {
    boolean v6 = RequestValidator.ip(p.getDstIp(), "packet.dst_ip") instanceof Inet6Address;
    return packet(
        p.getSrcIp().isEmpty() ? p.toBuilder().setSrcIp(v6 ? "::" : "0.0.0.0").build() : p);
  }

  /** A packet from outside: its source is required (the uplink is found by it). */
  static PacketHeaders uplinkPacket(Packet p) {
    if (p.getSrcIp().isEmpty()) {
      throw new InvalidArgumentException(
          "packet.src_ip", "required for KIND_UPLINK: the outside address that sends");
    }
    return packet(p);
  }

  static TraceSpec.FromHostPort hostPort(OvsPortIngress p) {
    if (!BRIDGE.matcher(p.getBridge()).matches()) {
      throw new InvalidArgumentException(
          "port.bridge", "must be an OVS bridge name (1-15 of A-Z a-z 0-9 _ . -)");
    }
    // 65534 is a bridge's LOCAL port (OFPP_LOCAL), the highest a host-side port can have
    int ofport = (int) RequestValidator.range(p.getOfport(), 1, 65534, "port.ofport");
    return new TraceSpec.FromHostPort(p.getBridge(), ofport);
  }

  static TunnelMatch tunnel(TunnelIngress t) {
    InetAddress src = RequestValidator.ip(t.getTunSrc(), "tunnel.tun_src");
    InetAddress dst = RequestValidator.ip(t.getTunDst(), "tunnel.tun_dst");
    List<GeneveOption> opts = new ArrayList<>();
    for (var o : t.getGeneveOptionsList()) {
      opts.add(
          new GeneveOption(
              (int)
                  RequestValidator.range(
                      o.getOptionClass(), 0, 0xFFFF, "geneve_options.option_class"),
              (int) RequestValidator.range(o.getType(), 0, 0xFF, "geneve_options.type"),
              o.getValue().toByteArray()));
    }
    if (t.getTunId() > 0xFFFF_FFFFL || t.getTunId() < 0) {
      throw new InvalidArgumentException("tunnel.tun_id", "must be 0-4294967295");
    }
    return new TunnelMatch(src, dst, t.getTunId(), opts);
  }

  static Set<CtState> ctStates(CtStateSet s, String field) {
    Set<CtState> out = EnumSet.noneOf(CtState.class);
    for (CtFlag f : s.getFlagsList()) {
      out.add(
          switch (f) {
            case CT_FLAG_TRK -> CtState.TRK;
            case CT_FLAG_NEW -> CtState.NEW;
            case CT_FLAG_EST -> CtState.EST;
            case CT_FLAG_REL -> CtState.REL;
            case CT_FLAG_RPL -> CtState.RPL;
            case CT_FLAG_INV -> CtState.INV;
            case CT_FLAG_DNAT -> CtState.DNAT;
            case CT_FLAG_SNAT -> CtState.SNAT;
            default -> throw new InvalidArgumentException(field, "unknown conntrack flag " + f);
          });
    }
    if (out.isEmpty()) {
      throw new InvalidArgumentException(field, "at least one flag");
    }
    Optional<String> why = contradiction(out);
    if (why.isPresent()) {
      String flags = String.join(",", out.stream().map(CtState::flag).toList());
      throw new InvalidArgumentException(
          field, "contradictory conntrack flags " + flags + ": " + why.get());
    }
    return out;
  }

  /**
   * The combinations ofproto/trace refuses (OVS's validate_ct_state; checked against the real
   * daemon by CtNextAgreesWithOvsSandboxTest), said before OVS is asked so the caller gets
   * INVALID_ARGUMENT naming the field rather than INTERNAL with OVS's text.
   */
  static Optional<String> contradiction(Set<CtState> s) {
    if (!s.contains(CtState.TRK)) {
      return Optional.of("every other flag needs trk (the packet was tracked)");
    }
    if (s.contains(CtState.INV) && s.size() > 2) {
      return Optional.of("inv allows only trk beside it");
    }
    if (s.contains(CtState.NEW) && s.contains(CtState.EST)) {
      return Optional.of("new and est exclude each other");
    }
    if (s.contains(CtState.NEW) && s.contains(CtState.RPL)) {
      return Optional.of(
          "new and rpl exclude each other (a new connection has no reply direction)");
    }
    return Optional.empty();
  }
}
