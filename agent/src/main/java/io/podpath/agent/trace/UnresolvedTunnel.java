package io.podpath.agent.trace;

import io.podpath.agent.unixctl.Unixctl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tunnel output of a pass whose underlay neighbour was not resolved yet: ovs-vswitchd then
 * prints "neighbor cache miss", sends an ARP request and drops the packet, so the datapath actions
 * hold no {@code tnl_push}. The OpenFlow part still says where it was going (the tunnel port,
 * tun_id, tun_metadata0), which is what the next packet will do.
 */
final class UnresolvedTunnel {
  static final String MISS = "neighbor cache miss";
  private static final Pattern TUN_ID =
      Pattern.compile(
          "^(?:set_field:(0x[0-9a-f]+|\\d+)(?:/\\S+)?->tun_id|load:(0x[0-9a-f]+|\\d+)->NXM_NX_TUN_ID\\[\\])$");
  private static final Pattern META =
      Pattern.compile("^set_field:(0x[0-9a-f]+|\\d+)->tun_metadata0$");
  private static final Pattern META_BITS =
      Pattern.compile("NXM_NX_TUN_METADATA0\\[(\\d+)\\.\\.(\\d+)\\] is now (0x[0-9a-f]+|\\d+)");
  private static final Pattern OUTPUT = Pattern.compile("^output:(\\d+)$");
  private static final Pattern TO = Pattern.compile("^-> tunneling to (\\S+) via");

  private UnresolvedTunnel() {}

  /**
   * Runs the trace; when the underlay neighbour of a tunnel is unknown, the trace itself sends an
   * ARP request, so a retry a moment later usually sees the real encapsulation.
   */
  static String traceWithNeighbour(Unixctl u, TraceArgs args, Instant deadline) {
    String raw = u.call("ofproto/trace", args.params(), NodeTracer.left(deadline));
    for (long waitMs : new long[] {100, 300}) {
      if (!raw.contains(UnresolvedTunnel.MISS)
          || Duration.between(Instant.now(), deadline).toMillis() < waitMs + 1000) {
        break;
      }
      try {
        Thread.sleep(waitMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      raw = u.call("ofproto/trace", args.params(), NodeTracer.left(deadline));
    }
    return raw;
  }

  static boolean missed(TracePass pass) {
    return pass.steps().stream().anyMatch(s -> s.notes().stream().anyMatch(n -> n.contains(MISS)));
  }

  static Optional<Outcome> derive(
      TracePass pass, List<DpAction> actions, Map<String, PortInfo> ports) {
    long tunId = -1;
    long meta = -1;
    boolean hasMeta = false;
    int ofport = -1;
    String remote = "";
    for (TraceStep s : pass.steps()) {
      for (String a : s.actions()) {
        Matcher m = TUN_ID.matcher(a);
        if (m.matches()) {
          tunId = Long.decode(m.group(1) != null ? m.group(1) : m.group(2));
        }
        m = META.matcher(a);
        if (m.matches()) {
          meta = Long.decode(m.group(1));
          hasMeta = true;
        }
        m = OUTPUT.matcher(a);
        if (m.matches()) {
          ofport = Integer.parseInt(m.group(1));
        }
      }
      for (String n : s.notes()) {
        Matcher m = META_BITS.matcher(n);
        if (m.find() && hasMeta) {
          int lo = Integer.parseInt(m.group(1));
          int hi = Integer.parseInt(m.group(2));
          long mask = ((1L << (hi - lo + 1)) - 1) << lo;
          meta = (meta & ~mask) | ((Long.decode(m.group(3)) << lo) & mask);
        }
        m = TO.matcher(n);
        if (m.find()) {
          remote = m.group(1);
        }
      }
      if (s.notes().stream().anyMatch(n -> n.contains(MISS))) {
        break;
      }
    }
    int port = ofport;
    Optional<PortInfo> info =
        ports.values().stream().filter(p -> p.ofport() == port && p.isTunnel()).findFirst();
    if (info.isEmpty() && remote.isEmpty()) {
      return Optional.empty();
    }
    String remoteIp = remote.isEmpty() ? info.get().remoteIp() : remote;
    InnerPacket.Result inner = InnerPacket.asItLeaves(pass.finalFlow(), actions);
    String type = info.map(PortInfo::type).orElse("unknown");
    List<GeneveOption> options = hasMeta ? List.of(GeneveOption.ovn(meta)) : List.of();
    Outcome.Tunnel t =
        new Outcome.Tunnel(
            info.map(PortInfo::name).orElse(""),
            port,
            type,
            remoteIp,
            info.map(PortInfo::localIp).orElse(""),
            Math.max(0, tunId),
            options,
            inner.packet(),
            inner.flow());
    String summary =
        "output to "
            + type
            + " tunnel to "
            + remoteIp
            + " (VNI 0x"
            + Long.toHexString(Math.max(0, tunId))
            + ", port "
            + t.portName()
            + ", ofport "
            + port
            + "); underlay neighbour "
            + remoteIp
            + " not resolved yet, so this very packet would be dropped";
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
}
