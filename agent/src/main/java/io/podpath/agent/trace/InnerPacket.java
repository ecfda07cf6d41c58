package io.podpath.agent.trace;

import io.podpath.agent.ip.IpLiteral;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The inner packet as it leaves by a tunnel: the pass's final flow with the datapath's header
 * rewrites ({@code set(eth(..))}, {@code set(ipv4(ttl=..))}, NAT) that run before the push applied.
 * The final flow alone is not enough: OVN routes inside clones, so its MAC and TTL rewrites appear
 * only in the datapath actions.
 */
final class InnerPacket {
  private InnerPacket() {}

  record Result(Optional<PacketHeaders> packet, String flow, Optional<String> problem) {}

  static Result asItLeaves(String finalFlow, List<DpAction> before) {
    FlowFields f = FlowFields.parse(finalFlow);
    Map<String, String> v = new LinkedHashMap<>(f.fields());
    boolean v6 = v.containsKey("ipv6_src");
    for (DpAction a : before) {
      if (a instanceof DpAction.SetField s) {
        apply(s, v, v6);
      }
    }
    Optional<L4Protocol> proto = f.protocol();
    String flow = flow(proto, v, v6);
    if (proto.isEmpty()) {
      return new Result(Optional.empty(), flow, Optional.of("no L4 protocol in " + finalFlow));
    }
    try {
      InetAddress src = address(v, v6 ? "ipv6_src" : "nw_src");
      InetAddress dst = address(v, v6 ? "ipv6_dst" : "nw_dst");
      L4Protocol p = proto.get();
      int sp = p.hasPorts() ? num(v, "tp_src") : 0;
      int dp = p.hasPorts() ? num(v, "tp_dst") : 0;
      int type = p.hasPorts() ? 0 : num(v, "icmp_type");
      int code = p.hasPorts() ? 0 : num(v, "icmp_code");
      PacketHeaders h =
          new PacketHeaders(
              src,
              dst,
              p,
              sp,
              dp,
              type,
              code,
              mac(v, "dl_src"),
              mac(v, "dl_dst"),
              num(v, "nw_ttl"));
      return new Result(Optional.of(h), flow, Optional.empty());
    } catch (RuntimeException e) {
      return new Result(
          Optional.empty(),
          flow,
          Optional.of(
              "cannot rebuild the inner packet: "
                  + Objects.requireNonNullElse(e.getMessage(), e.toString())));
    }
  }

  private static void apply(DpAction.SetField s, Map<String, String> v, boolean v6) {
    Map<String, String> in = s.fields();
    switch (s.header()) {
      case "eth" -> {
        put(v, "dl_src", in.get("src"));
        put(v, "dl_dst", in.get("dst"));
      }
      case "ipv4", "ipv6" -> {
        put(v, v6 ? "ipv6_src" : "nw_src", in.get("src"));
        put(v, v6 ? "ipv6_dst" : "nw_dst", in.get("dst"));
        put(v, "nw_ttl", in.containsKey("ttl") ? in.get("ttl") : in.get("hlimit"));
      }
      case "tcp", "udp", "sctp" -> {
        put(v, "tp_src", in.get("src"));
        put(v, "tp_dst", in.get("dst"));
      }
      default -> {
        // other rewrites (tunnel, vlan, ...) do not change the inner headers we replay
      }
    }
  }

  private static void put(Map<String, String> v, String key, @Nullable String value) {
    if (value != null) {
      v.put(key, strip(value));
    }
  }

  private static String strip(String s) {
    return s.contains("/") ? s.substring(0, s.indexOf('/')) : s;
  }

  /** The field's value without a mask; a field the flow lacks is named in the error. */
  private static String field(Map<String, String> v, String key) {
    String s = v.get(key);
    if (s == null) {
      throw new IllegalArgumentException("the final flow has no " + key);
    }
    return strip(s);
  }

  private static InetAddress address(Map<String, String> v, String key) {
    String s = field(v, key);
    return IpLiteral.tryParse(s)
        .orElseThrow(() -> new IllegalArgumentException(key + "=" + s + " is not an IP address"));
  }

  private static Optional<MacAddress> mac(Map<String, String> v, String key) {
    return Optional.ofNullable(v.get(key)).map(InnerPacket::strip).flatMap(MacAddress::tryParse);
  }

  private static int num(Map<String, String> v, String key) {
    return Integer.decode(field(v, key));
  }

  /** The inner headers in ofproto/trace syntax, ready for a flow on the peer. */
  private static String flow(Optional<L4Protocol> proto, Map<String, String> v, boolean v6) {
    StringJoiner j = new StringJoiner(",");
    proto.ifPresent(p -> j.add(p.keyword(v6)));
    for (String k :
        List.of(
            "dl_src", "dl_dst", v6 ? "ipv6_src" : "nw_src", v6 ? "ipv6_dst" : "nw_dst", "nw_ttl")) {
      if (v.containsKey(k)) {
        j.add(k + "=" + v.get(k));
      }
    }
    proto.ifPresent(
        p -> {
          if (p.hasPorts()) {
            if (v.containsKey("tp_src")) {
              j.add(p.portPrefix() + "_src=" + v.get("tp_src"));
            }
            if (v.containsKey("tp_dst")) {
              j.add(p.portPrefix() + "_dst=" + v.get("tp_dst"));
            }
          } else {
            String icmp = v6 ? "icmpv6_" : "icmp_";
            if (v.containsKey("icmp_type")) {
              j.add(icmp + "type=" + v.get("icmp_type"));
            }
            if (v.containsKey("icmp_code")) {
              j.add(icmp + "code=" + v.get("icmp_code"));
            }
          }
        });
    return j.toString();
  }
}
