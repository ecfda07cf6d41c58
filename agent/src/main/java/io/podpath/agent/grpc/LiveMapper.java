package io.podpath.agent.grpc;

import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.live.LiveCaptures;
import io.podpath.agent.live.LiveMatch;
import io.podpath.agent.live.Observed;
import io.podpath.agent.live.Sighting;
import io.podpath.proto.v1.Encapsulation;
import io.podpath.proto.v1.ObserveHandle;
import io.podpath.proto.v1.ObserveResult;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.StartObserveRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/** StartObserve / CollectObserve: validated into a typed {@link LiveMatch}, answered in proto. */
final class LiveMapper {
  private LiveMapper() {}

  static ObserveHandle start(LiveCaptures live, StartObserveRequest r) {
    InetAddress src = RequestValidator.ip(r.getMatch().getSrcIp(), "match.src_ip");
    InetAddress dst = src;
    if (!r.getMatch().getDstIp().isEmpty()) {
      dst = RequestValidator.ip(r.getMatch().getDstIp(), "match.dst_ip");
      if ((dst instanceof Inet6Address) != (src instanceof Inet6Address)) {
        throw new InvalidArgumentException(
            "match.dst_ip", "of match.src_ip's address family (both IPv4 or both IPv6)");
      }
    }
    LiveMatch.Transport t =
        switch (r.getMatch().getProtocol()) {
          case PROTOCOL_TCP -> LiveMatch.Transport.TCP;
          case PROTOCOL_UDP -> LiveMatch.Transport.UDP;
          case PROTOCOL_ICMP -> LiveMatch.Transport.ICMP;
          case PROTOCOL_SCTP -> LiveMatch.Transport.SCTP;
          default -> throw new InvalidArgumentException("match.protocol", "TCP, UDP, SCTP or ICMP");
        };
    int port = RequestValidator.port(r.getMatch().getSrcPort(), "match.src_port", false);
    long ms = RequestValidator.range(r.getDurationMillis(), 1, 15_000, "duration_millis");
    int max =
        r.getMaxPackets() == 0
            ? 16
            : (int) RequestValidator.range(r.getMaxPackets(), 1, 64, "max_packets");
    LiveCaptures.Handle h;
    try {
      h = live.start(new LiveMatch(src, dst, t, port), max, Duration.ofMillis(ms));
    } catch (LiveCaptures.TooManyCapturesException e) {
      throw new StatusMapper.TooBusyException(
          Objects.requireNonNullElse(e.getMessage(), e.toString()));
    }
    return ObserveHandle.newBuilder()
        .setId(h.id())
        .setOpenedAtUnixMicros(h.openedAtUnixMicros())
        .build();
  }

  static ObserveResult collect(LiveCaptures live, ObserveHandle h, Duration budget) {
    if (h.getId().isEmpty() || h.getId().length() > 64) {
      throw new InvalidArgumentException("id", "the id StartObserve returned");
    }
    Observed o;
    try {
      o = live.collect(h.getId(), budget);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InvalidArgumentException("id", "interrupted while waiting for the capture");
    }
    ObserveResult.Builder b = ObserveResult.newBuilder().setTruncated(o.truncated());
    for (Sighting s : o.sightings()) {
      b.addSightings(sighting(s));
    }
    return b.build();
  }

  private static io.podpath.proto.v1.Sighting sighting(Sighting s) {
    var b =
        io.podpath.proto.v1.Sighting.newBuilder()
            .setAtUnixMicros(s.atUnixMicros())
            .setInterface(s.iface())
            .setDirection(s.direction())
            .setIpId(s.ipId())
            .setReply(s.reply())
            .setTcpFlags(s.tcpFlags())
            .setSctpChunk(s.sctpChunk())
            .setPacket(
                Packet.newBuilder()
                    .setSrcIp(s.srcIp())
                    .setDstIp(s.dstIp())
                    .setProtocol(protocol(s.protocol()))
                    .setSrcPort(s.srcPort())
                    .setDstPort(s.dstPort())
                    .setSize(s.totalLength()));
    if (s.icmpType() >= 0) {
      b.getPacketBuilder().setIcmpType(s.icmpType());
    }
    s.encap()
        .ifPresent(
            e ->
                b.setEncap(
                    Encapsulation.newBuilder()
                        .setType(e.type())
                        .setOuterSrc(e.outerSrc())
                        .setOuterDst(e.outerDst())
                        .setUdpPort(e.udpPort())
                        .setVni(e.vni())));
    return b.build();
  }

  private static Protocol protocol(int ipProto) {
    return switch (ipProto) {
      case 1 -> Protocol.PROTOCOL_ICMP;
      case 6 -> Protocol.PROTOCOL_TCP;
      case 132 -> Protocol.PROTOCOL_SCTP;
      default -> Protocol.PROTOCOL_UDP;
    };
  }
}
