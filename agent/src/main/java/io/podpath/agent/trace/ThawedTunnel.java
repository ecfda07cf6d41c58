package io.podpath.agent.trace;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tunnel output that ofproto/trace refuses but the datapath performs: when a flow sets tun_dst
 * (Antrea's L3Forwarding, {@code load:0xHEX->NXM_NX_TUN_IPV4_DST[]}, or {@code
 * set_field:IPv6->tun_ipv6_dst} for a peer on an IPv6 underlay) and a later {@code ct()}
 * recirculation outputs to the flow-based tunnel port, the trace resumes the frozen pass with that
 * tun_dst as if the packet had arrived by it, and refuses "Not tunneling to our own address". The
 * real packet had arrived from a pod, so the OpenFlow part says where it goes: the tunnel port,
 * tun_dst and tun_id of the pass's final flow.
 */
final class ThawedTunnel {
  static final String OWN = "Not tunneling to our own address";
  private static final Pattern OUTPUT_NOTE = Pattern.compile("-> output port is (\\d+)");
  private static final Pattern OUTPUT = Pattern.compile("^output:(\\d+)$");

  private ThawedTunnel() {}

  /**
   * The tunnel output of a resumed pass that the trace refused only because the tun_dst it was
   * resumed with came from an earlier pass of this packet, not from the packet's arrival.
   */
  static Optional<Outcome> derive(
      TracePass first, TracePass pass, List<DpAction> actions, Map<String, PortInfo> ports) {
    if (pass.recircId().isEmpty()
        || pass.steps().stream()
            .noneMatch(s -> s.notes().stream().anyMatch(n -> n.contains(OWN)))) {
      return Optional.empty();
    }
    Optional<String> dst = tunDst(pass.finalFlow());
    if (dst.isEmpty() || !dst.equals(tunDst(pass.flow())) || dst.equals(tunDst(first.flow()))) {
      return Optional.empty();
    }
    int ofport = -1;
    for (TraceStep s : pass.steps()) {
      for (String a : s.actions()) {
        Matcher m = OUTPUT.matcher(a);
        if (m.matches()) {
          ofport = Integer.parseInt(m.group(1));
        }
      }
      for (String n : s.notes()) {
        Matcher m = OUTPUT_NOTE.matcher(n);
        if (m.find()) {
          ofport = Integer.parseInt(m.group(1));
        }
      }
    }
    int port = ofport;
    Optional<PortInfo> info =
        ports.values().stream().filter(p -> p.ofport() == port && p.isTunnel()).findFirst();
    if (info.isEmpty()) {
      return Optional.empty();
    }
    long vni = FlowFields.parse(pass.finalFlow()).number("tun_id").orElse(0L);
    InnerPacket.Result inner = InnerPacket.asItLeaves(pass.finalFlow(), actions);
    Outcome.Tunnel t =
        new Outcome.Tunnel(
            info.get().name(),
            port,
            info.get().type(),
            dst.get(),
            "",
            vni,
            List.of(),
            inner.packet(),
            inner.flow());
    String summary =
        "output to "
            + t.type()
            + " tunnel to "
            + dst.get()
            + " (VNI 0x"
            + Long.toHexString(vni)
            + ", port "
            + t.portName()
            + ", ofport "
            + port
            + "), the tun_dst an earlier pass set (ofproto/trace's resumed pass refuses it as its"
            + " own arrival address; the datapath does not)";
    return Optional.of(
        new Outcome(
            Outcome.Kind.TUNNEL,
            summary,
            t.portName(),
            port,
            Optional.empty(),
            Optional.of(t),
            Optional.empty(),
            "",
            List.of()));
  }

  /** The flow's tunnel destination of either family; the unset field reads as all zeros. */
  private static Optional<String> tunDst(String flow) {
    FlowFields f = FlowFields.parse(flow);
    return f.get("tun_dst")
        .filter(d -> !d.equals("0.0.0.0"))
        .or(() -> f.get("tun_ipv6_dst").filter(d -> !d.equals("::")));
  }
}
