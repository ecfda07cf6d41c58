package io.podpath.agent.trace;

import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import io.podpath.agent.unixctl.Unixctl;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ct_mark an established reply carries into an uplink bridge that splits one address between
 * the host and OVN by conntrack (OVN-Kubernetes' shared-gateway breth0: what left from the patch
 * port to the gateway router is committed with one mark, what left from the host with another, and
 * replies follow the mark). ofproto/trace keeps a mark given in the flow across ct(), so the reply
 * is traced with the mark the bridge's own flows commit for the connection's forward packet: its
 * twin sent in from the bridge's patch port (the pod's side), read from that trace's datapath
 * actions. Empty when the bridge has no single patch port or commits no mark.
 */
final class UplinkReplyMark {
  /**
   * A commit with a mark, in datapath actions: {@code ct(commit,zone=64000,mark=0x1/0xffffffff)}.
   */
  private static final Pattern COMMIT =
      Pattern.compile("ct\\(commit,zone=(\\d+),mark=(0x[0-9a-f]+)(?:/0x[0-9a-f]+)?[,)]");

  record Mark(String value, int zone, String patch) {}

  private UplinkReplyMark() {}

  static boolean applies(List<Set<CtState>> ctNext) {
    return !ctNext.isEmpty() && ctNext.get(0).contains(CtState.EST);
  }

  static Optional<Mark> of(
      OvsState ovs, UplinkBridge ub, PacketHeaders reply, Unixctl u, Instant deadline) {
    List<OvsInterface> patches =
        ovs.interfaces().stream()
            .filter(i -> "patch".equals(i.type()) && i.ofport().orElse(-1) > 0)
            .filter(
                i ->
                    ovs.portOf(i)
                        .flatMap(ovs::bridgeOf)
                        .map(b -> b.name().equals(ub.bridge()))
                        .orElse(false))
            .toList();
    if (patches.size() != 1) {
      return Optional.empty();
    }
    OvsInterface patch = patches.get(0);
    PacketHeaders twin =
        new PacketHeaders(
            reply.dst(),
            reply.src(),
            reply.protocol(),
            reply.dstPort(),
            reply.srcPort(),
            reply.icmpType(),
            reply.icmpCode(),
            Optional.empty(),
            Optional.empty(),
            reply.ttl());
    TraceArgs args =
        FlowBuilder.build(
            new FlowRequest(
                ub.bridge(),
                (int) patch.ofport().getAsLong(),
                Optional.empty(),
                twin,
                List.of(Set.of(CtState.TRK, CtState.NEW))));
    String actions =
        TraceOutputParser.parse(UnresolvedTunnel.traceWithNeighbour(u, args, deadline))
            .datapathActions();
    Matcher m = COMMIT.matcher(actions);
    Optional<Mark> found = Optional.empty();
    while (m.find()) {
      found = Optional.of(new Mark(m.group(2), Integer.parseInt(m.group(1)), patch.name()));
    }
    return found;
  }

  /** The flow of the reply, with the mark first (ct_mark needs no ct_state prerequisite). */
  static TraceArgs args(FlowRequest reply, Mark mark) {
    return FlowBuilder.build(reply, Map.of("ct_mark", mark.value()));
  }

  static TraceFinding finding(UplinkBridge ub, Mark mark) {
    return TraceFinding.info(
        "uplink-ct-mark",
        "traced with ct_mark="
            + mark.value()
            + ": "
            + ub.bridge()
            + "'s flows commit the connection's forward packet from "
            + mark.patch()
            + " (OVN's side) to zone "
            + mark.zone()
            + " with that mark, and its reply follows it");
  }
}
