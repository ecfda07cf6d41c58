package io.podpath.agent.trace;

import io.podpath.agent.ip.IpLiteral;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Builds ofproto/trace's flow from a {@link FlowRequest}. Every token comes from a validated typed
 * value (numbers, parsed addresses, enums), so no caller text can reach the tool.
 */
public final class FlowBuilder {
  private FlowBuilder() {}

  public static TraceArgs build(FlowRequest r) {
    return build(r, Map.of());
  }

  /**
   * As {@link #build(FlowRequest)}, with {@code leading} fields first (conntrack state before the
   * conntrack fields that need it, registers): only {@link LbContinuation} gives them, from typed
   * values and hex numbers it matched.
   */
  static TraceArgs build(FlowRequest r, Map<String, String> leading) {
    PacketHeaders p = r.packet();
    boolean v6 = p.ipv6();
    StringJoiner f = new StringJoiner(",");
    leading.forEach((k, v) -> f.add(k + "=" + v));
    f.add("in_port=" + (r.inPort() == FlowRequest.LOCAL ? "LOCAL" : r.inPort()));
    r.tunnel()
        .ifPresent(
            t -> {
              f.add("tun_id=0x" + Long.toHexString(t.tunId()));
              String prefix = t.ipv6() ? "tun_ipv6_" : "tun_";
              f.add(prefix + "src=" + IpLiteral.format(t.tunSrc()));
              f.add(prefix + "dst=" + IpLiteral.format(t.tunDst()));
              for (GeneveOption o : t.geneveOptions()) {
                // OVN maps its option to tun_metadata0 on every chassis (TLV map set by
                // ovn-controller); TunnelMatch admits no other option.
                f.add("tun_metadata0=0x" + Long.toHexString(o.valueAsLong()));
              }
            });
    f.add(p.protocol().keyword(v6));
    p.srcMac().ifPresent(m -> f.add("dl_src=" + m));
    p.dstMac().ifPresent(m -> f.add("dl_dst=" + m));
    String ip = v6 ? "ipv6_" : "nw_";
    f.add(ip + "src=" + IpLiteral.format(p.src()));
    f.add(ip + "dst=" + IpLiteral.format(p.dst()));
    f.add("nw_ttl=" + p.ttl());
    if (p.protocol().hasPorts()) {
      f.add(p.protocol().portPrefix() + "_src=" + p.srcPort());
      f.add(p.protocol().portPrefix() + "_dst=" + p.dstPort());
    } else {
      String icmp = v6 ? "icmpv6_" : "icmp_";
      f.add(icmp + "type=" + p.icmpType());
      f.add(icmp + "code=" + p.icmpCode());
    }
    List<String> options = new ArrayList<>();
    for (Set<CtState> states : r.ctNext()) {
      StringJoiner s = new StringJoiner(",");
      // enum order keeps the text stable (trk first, as OVS prints it)
      for (CtState c : CtState.values()) {
        if (states.contains(c)) {
          s.add(c.flag());
        }
      }
      options.add("--ct-next");
      options.add(s.toString());
    }
    return new TraceArgs(r.bridge(), f.toString(), options);
  }
}
