package io.podpath.agent.reliability;

import static io.podpath.agent.reliability.BadRequests.fromPod;
import static io.podpath.agent.reliability.BadRequests.icmp;
import static io.podpath.agent.reliability.BadRequests.pod;
import static io.podpath.agent.reliability.BadRequests.tcp;
import static io.podpath.agent.reliability.BadRequests.trace;
import static io.podpath.agent.reliability.BadRequests.tunnel;
import static io.podpath.testkit.HostileInput.show;

import com.google.protobuf.ByteString;
import io.podpath.proto.v1.CtFlag;
import io.podpath.proto.v1.CtStateSet;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.testkit.HostileInput;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The malformed TraceNode requests of {@link AgentBadInputTest}: packet, conntrack, tunnel. */
final class BadTraceRequests {
  private BadTraceRequests() {}

  static Stream<BadRequests.Case> cases() {
    List<BadRequests.Case> c = new ArrayList<>();
    // TraceNode: ingress and packet
    c.add(trace("no ingress", TraceNodeRequest.newBuilder().setPacket(tcp()), "ingress"));
    c.add(
        trace(
            "no packet",
            TraceNodeRequest.newBuilder().setPod(pod("default", "client-1")),
            "packet"));
    for (String bad : List.of("$(reboot)", "../etc", "a\nb", HostileInput.HUGE)) {
      c.add(trace("pod namespace " + show(bad), fromPod().setPod(pod(bad, "x")), "pod.namespace"));
      c.add(trace("pod name " + show(bad), fromPod().setPod(pod("default", bad)), "pod.name"));
    }
    c.add(trace("src_ip empty", fromPod().setPacket(tcp().setSrcIp("")), "packet.src_ip"));
    c.add(trace("dst_ip empty", fromPod().setPacket(tcp().setDstIp("")), "packet.dst_ip"));
    for (String bad : HostileInput.IPS_UNTRIMMED) {
      c.add(
          trace("src_ip " + show(bad), fromPod().setPacket(tcp().setSrcIp(bad)), "packet.src_ip"));
      c.add(
          trace("dst_ip " + show(bad), fromPod().setPacket(tcp().setDstIp(bad)), "packet.dst_ip"));
    }
    c.add(trace("v4 src, v6 dst", fromPod().setPacket(tcp().setDstIp("fd00::3")), "packet.dst_ip"));
    c.add(trace("v6 src, v4 dst", fromPod().setPacket(tcp().setSrcIp("fd00::3")), "packet.dst_ip"));
    c.add(
        trace(
            "v4-mapped v6 vs v6",
            fromPod().setPacket(tcp().setSrcIp("fd00::1").setDstIp("::ffff:10.0.0.1")),
            "packet.dst_ip"));
    c.add(
        trace(
            "protocol unspecified",
            fromPod().setPacket(tcp().setProtocol(Protocol.PROTOCOL_UNSPECIFIED)),
            "packet.protocol"));
    for (int v : new int[] {5, 99, -1, Integer.MAX_VALUE}) {
      c.add(
          trace(
              "protocol enum " + v,
              fromPod().setPacket(tcp().setProtocolValue(v)),
              "packet.protocol"));
    }
    for (Protocol p :
        List.of(Protocol.PROTOCOL_TCP, Protocol.PROTOCOL_UDP, Protocol.PROTOCOL_SCTP)) {
      String n = p.name().substring(9);
      c.add(
          trace(
              n + " dst_port 0",
              fromPod().setPacket(tcp().setProtocol(p).setDstPort(0)),
              "packet.dst_port"));
      for (int port : new int[] {65536, 70000, -1, Integer.MIN_VALUE}) {
        c.add(
            trace(
                n + " dst_port " + Integer.toUnsignedString(port),
                fromPod().setPacket(tcp().setProtocol(p).setDstPort(port)),
                "packet.dst_port"));
        c.add(
            trace(
                n + " src_port " + Integer.toUnsignedString(port),
                fromPod().setPacket(tcp().setProtocol(p).setSrcPort(port)),
                "packet.src_port"));
      }
      c.add(
          trace(
              n + " with icmp_type",
              fromPod().setPacket(tcp().setProtocol(p).setIcmpType(8)),
              "packet.icmp_type"));
    }
    c.add(
        trace("ICMP with dst_port", fromPod().setPacket(icmp().setDstPort(80)), "packet.dst_port"));
    c.add(
        trace("ICMP with src_port", fromPod().setPacket(icmp().setSrcPort(80)), "packet.dst_port"));
    for (int v : new int[] {256, 65535, -1}) {
      c.add(
          trace(
              "icmp_type " + Integer.toUnsignedString(v),
              fromPod().setPacket(icmp().setIcmpType(v)),
              "packet.icmp_type"));
      c.add(
          trace(
              "icmp_code " + Integer.toUnsignedString(v),
              fromPod().setPacket(icmp().setIcmpCode(v)),
              "packet.icmp_code"));
      c.add(
          trace(
              "ttl " + Integer.toUnsignedString(v),
              fromPod().setPacket(tcp().setTtl(v)),
              "packet.ttl"));
    }
    for (String bad : HostileInput.MACS) {
      c.add(
          trace(
              "src_mac " + show(bad), fromPod().setPacket(tcp().setSrcMac(bad)), "packet.src_mac"));
      c.add(
          trace(
              "dst_mac " + show(bad), fromPod().setPacket(tcp().setDstMac(bad)), "packet.dst_mac"));
    }
    // TraceNode: conntrack states
    CtStateSet trk = CtStateSet.newBuilder().addFlags(CtFlag.CT_FLAG_TRK).build();
    TraceNodeRequest.Builder many = fromPod();
    for (int i = 0; i < 17; i++) {
      many.addCtNext(trk);
    }
    c.add(trace("17 ct_next entries", many, "ct_next"));
    c.add(
        trace(
            "empty ct_next set",
            fromPod().addCtNext(CtStateSet.getDefaultInstance()),
            "ct_next[0]"));
    c.add(
        trace(
            "ct flag unspecified",
            fromPod().addCtNext(CtStateSet.newBuilder().addFlags(CtFlag.CT_FLAG_UNSPECIFIED)),
            "ct_next[0]"));
    c.add(
        trace(
            "ct flag 99",
            fromPod().addCtNext(trk).addCtNext(CtStateSet.newBuilder().addFlagsValue(99)),
            "ct_next[1]"));
    // TraceNode: conntrack flag sets ofproto/trace refuses (INVALID_ARGUMENT, not INTERNAL + OVS
    // text)
    for (List<CtFlag> bad :
        List.of(
            List.of(CtFlag.CT_FLAG_TRK, CtFlag.CT_FLAG_NEW, CtFlag.CT_FLAG_EST),
            List.of(CtFlag.CT_FLAG_TRK, CtFlag.CT_FLAG_NEW, CtFlag.CT_FLAG_RPL),
            List.of(CtFlag.CT_FLAG_TRK, CtFlag.CT_FLAG_INV, CtFlag.CT_FLAG_EST),
            List.of(CtFlag.CT_FLAG_EST))) {
      c.add(
          trace(
              "contradictory ct flags " + bad,
              fromPod().addCtNext(trk).addCtNext(CtStateSet.newBuilder().addAllFlags(bad)),
              "ct_next[1]"));
    }
    // TraceNode: tunnel ingress
    for (String bad : List.of("", "1.2.3", "$(id)", "fe80::1%eth0", HostileInput.HUGE)) {
      c.add(
          trace(
              "tun_src " + show(bad),
              TraceNodeRequest.newBuilder().setTunnel(tunnel().setTunSrc(bad)).setPacket(tcp()),
              "tunnel.tun_src"));
      c.add(
          trace(
              "tun_dst " + show(bad),
              TraceNodeRequest.newBuilder().setTunnel(tunnel().setTunDst(bad)).setPacket(tcp()),
              "tunnel.tun_dst"));
    }
    for (long id : new long[] {1L << 32, -1L, Long.MIN_VALUE}) {
      c.add(
          trace(
              "tun_id " + Long.toUnsignedString(id),
              TraceNodeRequest.newBuilder().setTunnel(tunnel().setTunId(id)).setPacket(tcp()),
              "tunnel.tun_id"));
    }
    c.add(
        trace(
            "geneve class 0x10000",
            TraceNodeRequest.newBuilder()
                .setTunnel(
                    tunnel()
                        .setGeneveOptions(
                            0, tunnel().getGeneveOptions(0).toBuilder().setOptionClass(0x10000)))
                .setPacket(tcp()),
            "geneve_options.option_class"));
    c.add(
        trace(
            "geneve type 256",
            TraceNodeRequest.newBuilder()
                .setTunnel(
                    tunnel()
                        .setGeneveOptions(0, tunnel().getGeneveOptions(0).toBuilder().setType(256)))
                .setPacket(tcp()),
            "geneve_options.type"));
    for (int len : new int[] {0, 3, 5, 128, 4096}) {
      c.add(
          trace(
              "geneve value " + len + " bytes",
              TraceNodeRequest.newBuilder()
                  .setTunnel(
                      tunnel()
                          .setGeneveOptions(
                              0,
                              tunnel().getGeneveOptions(0).toBuilder()
                                  .setValue(ByteString.copyFrom(new byte[len]))))
                  .setPacket(tcp()),
              "geneve_options.value"));
    }
    c.add(
        trace(
            "tunnel + bad packet",
            TraceNodeRequest.newBuilder().setTunnel(tunnel()).setPacket(tcp().setDstPort(0)),
            "packet.dst_port"));
    return c.stream();
  }
}
