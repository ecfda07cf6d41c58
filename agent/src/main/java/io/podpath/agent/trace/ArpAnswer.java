package io.podpath.agent.trace;

import io.podpath.agent.kernel.IpAddr;
import io.podpath.agent.unixctl.Unixctl;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MAC a pod would learn by ARP when its kernel has no neighbour entry: the pod's ARP request
 * for the next hop traced from its port; where the CNI's flows answer it themselves (the ACI CNI
 * answers for the gateway with the fabric's router MAC), the final flow is that reply and its
 * {@code arp_sha} the MAC. Nothing is sent: this is ofproto/trace only.
 */
final class ArpAnswer {
  private ArpAnswer() {}

  private static final Pattern SET_ARP = Pattern.compile("set\\(arp\\(([^)]*)\\)\\)");

  private static final Pattern SHA = Pattern.compile("(?:^|,)arp_sha=([0-9a-f:]{17})(?:,|$)");

  /** The ofproto/trace flow of the pod's ARP request (every value typed). */
  static String requestFlow(int inPort, MacAddress podMac, IpAddr podIp, IpAddr target) {
    return "arp,in_port="
        + inPort
        + ",dl_src="
        + podMac
        + ",dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa="
        + podIp
        + ",arp_tpa="
        + target
        + ",arp_sha="
        + podMac
        + ",arp_tha=00:00:00:00:00:00";
  }

  /**
   * The answer's sender MAC when the flows turn the request into the reply from {@code target}: the
   * datapath's {@code set(arp(sip=TARGET,...,op=2,sha=MAC,...))} (a reply made past a patch port
   * shows only there), else the final flow's fields.
   */
  static Optional<MacAddress> parse(String raw, IpAddr target) {
    ParsedTrace t = TraceOutputParser.parse(raw);
    Matcher set = SET_ARP.matcher(t.datapathActions());
    while (set.find()) {
      List<String> fields = List.of(set.group(1).split(","));
      if (fields.contains("sip=" + target) && fields.contains("op=2")) {
        for (String f : fields) {
          if (f.startsWith("sha=")) {
            return MacAddress.tryParse(f.substring(4));
          }
        }
      }
    }
    List<String> flow = List.of(t.finalFlow().split(","));
    if (!flow.contains("arp")
        || !flow.contains("arp_op=2")
        || !flow.contains("arp_spa=" + target)) {
      return Optional.empty();
    }
    Matcher m = SHA.matcher(t.finalFlow());
    return m.find() ? MacAddress.tryParse(m.group(1)) : Optional.empty();
  }

  static Optional<MacAddress> ask(
      Unixctl vswitchd,
      String bridge,
      int inPort,
      MacAddress podMac,
      IpAddr podIp,
      IpAddr target,
      Duration timeout) {
    String raw =
        vswitchd.call(
            "ofproto/trace", List.of(bridge, requestFlow(inPort, podMac, podIp, target)), timeout);
    return parse(raw, target);
  }
}
