package io.podpath.agent.checks;

import io.podpath.agent.ip.IpLiteral;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flow-based tunnel ports ({@code remote_ip=flow}, one port for every peer, as OpenShift SDN's
 * vxlan0 and Antrea's antrea-tun0): the peers are the IPs the bridge's flows write into tun_dst
 * ({@code set_field:IP->tun_dst}, OpenShift SDN's table 90 per HostSubnet; {@code
 * load:0xHEX->NXM_NX_TUN_IPV4_DST[]}, Antrea's L3Forwarding per Node, which OVS prints as it was
 * written; an IPv6 peer as {@code set_field:IPv6->tun_ipv6_dst}, as Antrea writes it, or as two
 * {@code load:0xHEX->NXM_NX_TUN_IPV6_DST[64..127]/[0..63]}), so a peer whose flows are gone is a
 * missing tunnel although the port is fine.
 */
final class FlowTunnels {
  private FlowTunnels() {}

  private static final Pattern TUN_DST =
      Pattern.compile(
          "set_field:([0-9A-Fa-f.:]+)->tun_(?:ipv6_)?dst(?![A-Za-z_])"
              + "|load:0x([0-9A-Fa-f]{1,8})->NXM_NX_TUN_IPV4_DST\\[\\]"
              + "|load:0x([0-9A-Fa-f]{1,16})->NXM_NX_TUN_IPV6_DST\\[(0\\.\\.63|64\\.\\.127)\\]");

  static boolean flowBased(OvsSnapshot.Iface i) {
    return i.isTunnel() && i.remoteIp().equals("flow");
  }

  /**
   * The node's tunnel interfaces with every working flow-based port replaced by one copy per peer
   * IP of its bridge's flows (none when no flow sends to a peer); a broken one is kept as it is.
   */
  static List<OvsSnapshot.Iface> expand(CheckContext ctx, OvsSnapshot snap) throws AccessException {
    List<OvsSnapshot.Iface> out = new ArrayList<>();
    for (OvsSnapshot.Iface i : snap.interfaces()) {
      if (!i.isTunnel()) {
        continue;
      }
      if (!flowBased(i) || !i.error().isEmpty() || i.ofport() <= 0) {
        out.add(i);
        continue;
      }
      for (String peer : peers(ctx.ovs().unixctl("bridge/dump-flows", List.of(i.bridge())))) {
        out.add(
            new OvsSnapshot.Iface(
                i.name(),
                i.bridge(),
                i.type(),
                i.ofport(),
                i.error(),
                peer,
                i.ifaceId(),
                i.linkState()));
      }
    }
    return out;
  }

  /**
   * A CNI whose tunnels end at the fabric (ACI: VXLAN to the leaf, which holds the endpoints of
   * every node): no tunnel per peer is expected, but a working tunnel port whose flows send to the
   * fabric is.
   */
  static CheckResult toFabric(
      Findings f, OvsSnapshot snap, List<OvsSnapshot.Iface> expanded, String owner) {
    List<OvsSnapshot.Iface> ports =
        snap.interfaces().stream().filter(OvsSnapshot.Iface::isTunnel).toList();
    if (ports.isEmpty()) {
      f.problem(
          CheckStatus.FAIL,
          "no tunnel port: nothing reaches the fabric",
          "Restart " + owner + " (it creates the tunnel port) and check its log.");
      return f.result("");
    }
    for (OvsSnapshot.Iface p : ports) {
      List<String> dsts =
          expanded.stream()
              .filter(x -> x.name().equals(p.name()) && !x.remoteIp().equals("flow"))
              .map(OvsSnapshot.Iface::remoteIp)
              .toList();
      f.evidence(
          "tunnel " + p.name(),
          p.type() + " remote_ip=" + p.remoteIp() + " ofport=" + p.ofport() + "; tun_dst " + dsts);
      if (!p.error().isEmpty() || p.ofport() <= 0) {
        f.problem(
            CheckStatus.FAIL,
            "tunnel " + p.name() + " to the fabric broken: ofport " + p.ofport() + " " + p.error(),
            TunnelsCheck.brokenRemediation(owner));
      } else if (flowBased(p) && dsts.isEmpty()) {
        f.problem(
            CheckStatus.FAIL,
            "no flow on " + p.bridge() + " sends to the fabric through " + p.name(),
            "The routing flows are missing: "
                + owner
                + " writes them; check its log and restart it.");
      }
    }
    return f.result(
        "tunnels to the fabric working ("
            + expanded.stream().map(OvsSnapshot.Iface::remoteIp).distinct().sorted().toList()
            + "); peers are reached through it");
  }

  /**
   * The tun_dst IPs of a {@code bridge/dump-flows} text, from flows that set exactly one: a flow
   * setting several is a fan-out (OpenShift SDN's multicast table 111 lists every node) that stays
   * when a peer's unicast flows are gone, so it proves no route to any one peer.
   */
  static SortedSet<String> peers(String dumpFlows) {
    SortedSet<String> ips = new TreeSet<>();
    for (String flow : dumpFlows.split("\n")) {
      Matcher m = TUN_DST.matcher(flow);
      List<String> here = new ArrayList<>();
      // an IPv6 tun_dst: OVS prints it as two 64-bit loads, low half first
      String[] halves = new String[2];
      while (m.find()) {
        if (m.group(3) != null) {
          halves[m.group(4).startsWith("0") ? 1 : 0] = m.group(3);
          if (halves[0] != null && halves[1] != null) {
            here.add(ipv6(halves[0], halves[1]));
            halves = new String[2];
          }
        } else {
          here.add(m.group(1) != null ? m.group(1) : dotted(Long.parseLong(m.group(2), 16)));
        }
      }
      if (here.size() == 1) {
        ips.add(here.get(0));
      }
    }
    return ips;
  }

  private static String ipv6(String high, String low) {
    String hex = "0".repeat(16 - high.length()) + high + "0".repeat(16 - low.length()) + low;
    byte[] b = new byte[16];
    for (int i = 0; i < 16; i++) {
      b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    try {
      return IpLiteral.format(InetAddress.getByAddress(b));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are an IPv6 address", e);
    }
  }

  private static String dotted(long v) {
    return ((v >> 24) & 0xff)
        + "."
        + ((v >> 16) & 0xff)
        + "."
        + ((v >> 8) & 0xff)
        + "."
        + (v & 0xff);
  }
}
