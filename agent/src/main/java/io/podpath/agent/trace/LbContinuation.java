package io.podpath.agent.trace;

import io.podpath.agent.ip.IpLiteral;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Continues a trace that stopped at an OVN load balancer's choice of backend. The datapath picks a
 * bucket of a select group ({@code hash()}, then a recirculation ofproto/trace cannot follow); the
 * bucket commits the connection to conntrack with DNAT to the backend and sets the conntrack mark
 * ({@code ct(commit,table=T,nat(dst=B),exec(set_field:V/M->ct_mark))}), and the packet resumes at
 * table T with the registers it had. What follows (e.g. OVN's {@code chk_lb_hairpin}, which reads
 * that mark) sees conntrack fields ofproto/trace never sets by itself.
 *
 * <p>The continuation is a second ofproto/trace of the packet as the bucket leaves it, every field
 * taken from the node or the first trace: the headers DNATed to the bucket's own {@code nat(dst=)},
 * the conntrack state after a NAT commit ({@code trk,new,dnat}), the mark the bucket sets, the
 * original tuple (the packet as first traced: {@code ct_nw_src/dst}, {@code ct_nw_proto}, {@code
 * ct_tp_src/dst}), and the registers and metadata of the stopped pass's final flow (what the load
 * balancer's stages loaded, e.g. the VIP the hairpin check compares). ofproto/trace starts at table
 * 0, so the stages before T run again on the DNATed packet; their verdict is part of the answer.
 */
public final class LbContinuation {
  private LbContinuation() {}

  /** The bucket that sends the packet to the backend, as the node's group table has it. */
  public record Bucket(int group, String actions, long ctMark, long ctMarkMask) {}

  /** The fields the continuation fills in beside the DNATed packet, and the DNATed packet. */
  public record Continued(PacketHeaders packet, Map<String, String> fields, String summary) {
    public Continued {
      fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
  }

  private static final Pattern GROUP = Pattern.compile("group:(\\d+)");
  private static final Pattern HEX = Pattern.compile("0x[0-9a-f]{1,32}");
  private static final Pattern FROZEN =
      Pattern.compile(
          "(?:^|,)((?:reg\\d{1,2}|xreg\\d|xxreg\\d|metadata))=(0x[0-9a-f]{1,32})(?=,|$)");
  private static final Pattern SET_MARK =
      Pattern.compile("set_field:(0x[0-9a-f]{1,8})(?:/(0x[0-9a-f]{1,8}))?->ct_mark");
  private static final Pattern LOAD_MARK =
      Pattern.compile("load:(0x[0-9a-f]{1,8})->NXM_NX_CT_MARK\\[(?:(\\d+)(?:\\.\\.(\\d+))?)?\\]");
  private static final Pattern EXEC = Pattern.compile("exec\\((.*)\\)\\)$");

  /**
   * The select group the trace stopped in: the last {@code group:N} action of the last pass, when
   * that pass's datapath actions end in {@code hash(...)} and a recirculation.
   */
  public static Optional<Integer> stoppedGroup(ParsedTrace parsed) {
    if (parsed.lastPass().isEmpty()) {
      return Optional.empty();
    }
    TracePass last = parsed.lastPass().get();
    List<DpAction> dp = DatapathActionsParser.parse(last.datapathActions());
    int n = dp.size();
    if (n < 2
        || !(dp.get(n - 1) instanceof DpAction.Recirc)
        || !(dp.get(n - 2) instanceof DpAction.Hash)) {
      return Optional.empty();
    }
    Optional<Integer> group = Optional.empty();
    for (TraceStep s : last.steps()) {
      for (String a : s.actions()) {
        Matcher m = GROUP.matcher(a.strip());
        if (m.matches()) {
          group = Optional.of(Integer.parseInt(m.group(1)));
        }
      }
    }
    return group;
  }

  /**
   * The bridge whose flow sent the packet to {@code group} in the last pass. Group ids are per
   * bridge: on OVN-Kubernetes' shared gateway a NodePort enters by breth0 and meets the gateway
   * router's load balancer group in br-int.
   */
  public static Optional<String> groupBridge(ParsedTrace parsed, int group) {
    Optional<String> bridge = Optional.empty();
    for (TraceStep s : parsed.lastPass().map(TracePass::steps).orElse(List.of())) {
      if (s.actions().stream().anyMatch(a -> a.strip().equals("group:" + group))) {
        bridge = Optional.of(s.bridge());
      }
    }
    return bridge;
  }

  private static final Pattern IN_PORT = Pattern.compile("(?:^|,)in_port=(\\d+)(?=,|$)");

  /**
   * The OpenFlow port the stopped pass's packet came in by, in the bridge the pass ran in (its
   * final flow's {@code in_port}, a number).
   */
  public static Optional<Integer> stoppedInPort(ParsedTrace parsed) {
    Matcher m = IN_PORT.matcher(parsed.finalFlow());
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  /** Where the continuation is traced from; {@code crossed} when not where the first trace was. */
  public record Start(String bridge, int inPort, boolean crossed) {}

  /**
   * The bridge of the group, and the port to send the DNATed packet in by. Where a patch led the
   * first trace into that bridge, the start is its patch port (the stopped pass's in_port): sent
   * again from the first trace's start, the DNATed packet would no longer match what led it there
   * (e.g. breth0's flows for the NodePort). Empty when the stopped pass names no port.
   */
  public static Optional<Start> start(ParsedTrace parsed, int group, String bridge, int inPort) {
    String b = groupBridge(parsed, group).orElse(bridge);
    if (b.equals(bridge)) {
      return Optional.of(new Start(bridge, inPort, false));
    }
    return stoppedInPort(parsed).map(p -> new Start(b, p, true));
  }

  /** The argv that prints one group of {@code bridge} (its management socket under the rundir). */
  public static List<String> dumpGroupArgv(String mgmtSocket, int group) {
    return List.of(
        "ovs-ofctl",
        "-O",
        "OpenFlow15",
        "dump-groups",
        "unix:" + mgmtSocket,
        Integer.toString(group));
  }

  /**
   * The bucket of {@code group} in {@code ovs-ofctl dump-groups} output whose one action is a
   * conntrack commit with DNAT to {@code backend}; empty with the reason when there is none or it
   * does more than podpath can carry (anything but setting ct_mark inside the commit).
   */
  public static Optional<Bucket> bucket(
      String dump, int group, LbBackend backend, List<String> why) {
    String ip = IpLiteral.format(backend.ip());
    String target =
        backend.ip() instanceof Inet6Address
            ? "[" + ip + "]" + (backend.port() == 0 ? "" : ":" + backend.port())
            : ip + (backend.port() == 0 ? "" : ":" + backend.port());
    for (String line : dump.split("\n")) {
      String l = line.strip();
      if (!l.startsWith("group_id=" + group + ",")) {
        continue;
      }
      String[] parts = l.split(",bucket=");
      for (int i = 1; i < parts.length; i++) {
        int a = parts[i].indexOf("actions=");
        if (a < 0) {
          continue;
        }
        String actions = parts[i].substring(a + "actions=".length());
        if (!actions.contains("nat(dst=" + target + ")")) {
          continue;
        }
        if (!actions.startsWith("ct(commit,") || !actions.endsWith(")")) {
          why.add(
              "group "
                  + group
                  + "'s bucket for "
                  + target
                  + " is not one conntrack commit: "
                  + actions);
          return Optional.empty();
        }
        long mark = 0;
        long mask = 0;
        Matcher e = EXEC.matcher(actions);
        if (e.find()) {
          for (String act : e.group(1).split(",(?![^\\[]*\\])")) {
            Matcher s = SET_MARK.matcher(act);
            Matcher ld = LOAD_MARK.matcher(act);
            if (s.matches()) {
              long v = Long.decode(s.group(1));
              long m = s.group(2) == null ? 0xffffffffL : Long.decode(s.group(2));
              mark = (mark & ~m) | (v & m);
              mask |= m;
            } else if (ld.matches()) {
              int lo = ld.group(2) == null ? 0 : Integer.parseInt(ld.group(2));
              int hi =
                  ld.group(3) == null
                      ? (ld.group(2) == null ? 31 : lo)
                      : Integer.parseInt(ld.group(3));
              long m = ((hi - lo == 31) ? 0xffffffffL : ((1L << (hi - lo + 1)) - 1)) << lo;
              mark = (mark & ~m) | ((Long.decode(ld.group(1)) << lo) & m);
              mask |= m;
            } else {
              why.add(
                  "group "
                      + group
                      + "'s bucket for "
                      + target
                      + " does more inside its commit than podpath carries: "
                      + act);
              return Optional.empty();
            }
          }
        }
        return Optional.of(new Bucket(group, actions, mark, mask));
      }
    }
    why.add("group " + group + " has no bucket that DNATs to " + target);
    return Optional.empty();
  }

  /**
   * The packet as the bucket leaves it and the fields to give ofproto/trace beside it: conntrack
   * state, mark and original tuple, then the stopped pass's registers and metadata.
   */
  public static Continued continued(
      PacketHeaders sent, LbBackend backend, Bucket bucket, String stoppedFinalFlow) {
    PacketHeaders dnat =
        new PacketHeaders(
            sent.src(),
            backend.ip(),
            sent.protocol(),
            sent.srcPort(),
            sent.protocol().hasPorts() ? backend.port() : 0,
            sent.icmpType(),
            sent.icmpCode(),
            sent.srcMac(),
            sent.dstMac(),
            sent.ttl());
    Map<String, String> f = new LinkedHashMap<>();
    f.put("ct_state", "trk|new|dnat");
    if (bucket.ctMarkMask() != 0) {
      f.put("ct_mark", "0x" + Long.toHexString(bucket.ctMark()));
    }
    boolean v6 = sent.ipv6();
    f.put("ct_nw_proto", Integer.toString(sent.protocol().ipProto(v6)));
    f.put(v6 ? "ct_ipv6_src" : "ct_nw_src", IpLiteral.format(sent.src()));
    f.put(v6 ? "ct_ipv6_dst" : "ct_nw_dst", IpLiteral.format(sent.dst()));
    if (sent.protocol().hasPorts()) {
      f.put("ct_tp_src", Integer.toString(sent.srcPort()));
      f.put("ct_tp_dst", Integer.toString(sent.dstPort()));
    }
    Matcher m = FROZEN.matcher(stoppedFinalFlow);
    while (m.find()) {
      if (HEX.matcher(m.group(2)).matches()) {
        f.putIfAbsent(m.group(1), m.group(2));
      }
    }
    StringJoiner regs = new StringJoiner(",");
    f.forEach(
        (k, v) -> {
          if (k.startsWith("reg")
              || k.startsWith("xreg")
              || k.startsWith("xxreg")
              || k.equals("metadata")) {
            regs.add(k + "=" + v);
          }
        });
    String summary =
        "ofproto/trace stops at the load balancer's choice of backend (group "
            + bucket.group()
            + ", hash); continued as this node's bucket for "
            + IpLiteral.format(backend.ip())
            + (backend.port() == 0 ? "" : ":" + backend.port())
            + " does ("
            + bucket.actions()
            + "): the packet DNATed to it, conntrack state trk,new,dnat"
            + (bucket.ctMarkMask() != 0 ? ", ct_mark=0x" + Long.toHexString(bucket.ctMark()) : "")
            + ", original tuple "
            + IpLiteral.format(sent.src())
            + " -> "
            + IpLiteral.format(sent.dst())
            + (sent.protocol().hasPorts()
                ? " ports " + sent.srcPort() + " -> " + sent.dstPort()
                : "")
            + ", and the stopped pass's "
            + regs;
    return new Continued(dnat, f, summary);
  }

  /** The conntrack states at each recirculation of the continuation: the commit's, then new. */
  public static List<Set<CtState>> ctNext() {
    List<Set<CtState>> out = new ArrayList<>();
    out.add(Set.of(CtState.TRK, CtState.NEW, CtState.DNAT));
    out.add(Set.of(CtState.TRK, CtState.NEW));
    return out;
  }
}
