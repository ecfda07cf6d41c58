package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.model.IpProtocol;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.aggregator.model.TracedPacket;
import io.podpath.common.HostPort;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Both directions towards one destination, planned once: each direction's goal, the node it starts
 * on and its first packet — or why it cannot start. {@code reply} is empty when not asked for.
 */
record Plan(Destination destination, Leg forward, Optional<Leg> reply) {
  private static final int ICMP_ECHO_REQUEST = 8;
  private static final int ICMP_ECHO_REPLY = 0;
  private static final int ICMPV6_ECHO_REQUEST = 128;
  private static final int ICMPV6_ECHO_REPLY = 129;

  /** One direction's start. */
  sealed interface Leg {
    Goal goal();

    TracedPacket packet();
  }

  /**
   * Starts on {@code node} with {@code first}; {@code sourceAgentRequired}: a missing agent there
   * is the caller's error (the source pod's node) rather than an INCONCLUSIVE verdict.
   */
  record Traceable(Goal goal, String node, NodeQuery first, boolean sourceAgentRequired)
      implements Leg {
    @Override
    public TracedPacket packet() {
      return first.packet();
    }
  }

  /**
   * A pod sending to one of its own addresses: the pod's kernel routes a local address through its
   * loopback (the local routing table), so the packet never reaches eth0, OVS or the node. This is
   * what the datapath does; tracing it through OVS would wrongly end in OVN's loopback-drop table.
   */
  record InsidePod(Goal goal, TracedPacket packet, String node) implements Leg {}

  /** Cannot be traced, for {@code reason}: INCONCLUSIVE without a hop. */
  record Untraceable(Goal goal, TracedPacket packet, String reason) implements Leg {}

  static Plan of(TraceQuery q, PodInfo src, Destination d) {
    String srcIp = sameFamily(src, d.sendIp());
    int srcPort = q.effectiveSrcPort();
    String srcLabel = label(src, srcIp, srcPort);

    String to = d.vip().map(v -> d.label() + " (via " + v + ")").orElse(d.label());
    Goal forwardGoal =
        new Goal(srcLabel, to, d.pod(), d.vip().map(v -> new Goal.Dnat(v, d.ip(), d.port())));
    TracedPacket forwardPacket = packet(q, srcIp, d.sendIp(), srcPort, d.sendPort(), q.icmpType());
    if (toItself(src, d)) {
      Goal back = new Goal(d.label(), srcLabel, Optional.of(src), Optional.empty());
      TracedPacket replyPacket = packet(q, d.ip(), srcIp, d.port(), srcPort, echoReply(q, d.ip()));
      return new Plan(
          d,
          new InsidePod(forwardGoal, forwardPacket, src.node()),
          q.forwardOnly()
              ? Optional.empty()
              : Optional.of(new InsidePod(back, replyPacket, src.node())));
    }
    Leg forward =
        new Traceable(
            forwardGoal,
            src.node(),
            new NodeQuery(
                new NodeQuery.FromPod(src.ref().namespace(), src.ref().name()),
                forwardPacket,
                false,
                q.includeRaw(),
                q.includeConntrackEntries()),
            true);
    if (q.forwardOnly()) {
      return new Plan(d, forward, Optional.empty());
    }
    return new Plan(d, forward, Optional.of(reply(q, src, srcIp, srcLabel, d)));
  }

  /** The destination is the source pod itself, addressed directly (no Service VIP). */
  static boolean toItself(PodInfo src, Destination d) {
    return d.vip().isEmpty()
        && d.pod().map(p -> p.ref().equals(src.ref())).orElse(false)
        && src.ips().contains(d.sendIp());
  }

  /** An ICMP reply's type: echo reply of the family of {@code from} (ICMPv6: 129); else empty. */
  static OptionalInt echoReply(TraceQuery q, String from) {
    if (q.protocol() != IpProtocol.ICMP) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(from.contains(":") ? ICMPV6_ECHO_REPLY : ICMP_ECHO_REPLY);
  }

  private static Leg reply(
      TraceQuery q, PodInfo src, String srcIp, String srcLabel, Destination d) {
    Goal goal = new Goal(d.label(), srcLabel, Optional.of(src), Optional.empty());
    TracedPacket packet =
        packet(q, d.ip(), srcIp, d.port(), q.effectiveSrcPort(), echoReply(q, d.ip()));
    if (d.pod().isEmpty()) {
      return new Untraceable(
          goal,
          packet,
          "the reply starts at "
              + d.ip()
              + ", outside the cluster; podpath traces from pods and tunnels only");
    }
    Optional<Untraceable> none = noReply(q, goal, packet);
    if (none.isPresent()) {
      return none.get();
    }
    PodInfo dst = d.pod().get();
    if (dst.hostNetwork()) {
      // NodeReply traces it from the node's stack once the forward shows the source it arrives
      // with; this stays only when the forward never reached that node.
      return new Untraceable(
          goal,
          packet,
          "the reply starts in the stack of "
              + dst.node()
              + " (hostNetwork pod "
              + dst.ref()
              + "), which the forward packet did not reach");
    }
    if (d.vip().isPresent() && dst.ref().equals(src.ref())) {
      return new Untraceable(
          goal,
          packet,
          "a hairpinned connection: the pod answers the load balancer's SNAT address (the VIP "
              + d.vip().get()
              + "), and conntrack reverses both NATs back into the same port; ofproto/trace"
              + " cannot replay that conntrack state");
    }
    return replyFromPod(q, goal, dst, packet);
  }

  /** An ICMP request other than echo has no reply to trace; empty for everything else. */
  static Optional<Untraceable> noReply(TraceQuery q, Goal goal, TracedPacket packet) {
    return expectsNoReply(q)
        ? Optional.of(
            new Untraceable(
                goal, packet, "ICMP type " + q.icmpType().getAsInt() + " expects no reply"))
        : Optional.empty();
  }

  /** An ICMP type other than echo request (8; ICMPv6: 128) expects no reply. */
  static boolean expectsNoReply(TraceQuery q) {
    return q.protocol() == IpProtocol.ICMP
        && q.icmpType().isPresent()
        && q.icmpType().getAsInt() != ICMP_ECHO_REQUEST
        && q.icmpType().getAsInt() != ICMPV6_ECHO_REQUEST;
  }

  /**
   * The reply from the destination pod's port: it belongs to the connection the forward packet
   * opened (established, reply direction).
   */
  static Traceable replyFromPod(TraceQuery q, Goal goal, PodInfo dst, TracedPacket packet) {
    return new Traceable(
        goal,
        dst.node(),
        new NodeQuery(
            new NodeQuery.FromPod(dst.ref().namespace(), dst.ref().name()),
            packet,
            true,
            q.includeRaw(),
            q.includeConntrackEntries()),
        false);
  }

  /** The source pod's address of the same family as {@code peer}. */
  static String sameFamily(PodInfo pod, String peer) {
    boolean v6 = peer.contains(":");
    return pod.ips().stream()
        .filter(ip -> ip.contains(":") == v6)
        .findFirst()
        .orElseThrow(
            () ->
                TraceException.invalid(
                    "destination "
                        + peer
                        + ": source pod "
                        + pod.ref()
                        + " has no address of that family"));
  }

  /** "default/web-1 10.244.2.3:80". */
  static String label(PodInfo pod, String ip, int port) {
    return pod.ref() + " " + HostPort.of(ip, port);
  }

  static TracedPacket packet(
      TraceQuery q, String srcIp, String dstIp, int srcPort, int dstPort, OptionalInt icmpType) {
    TracedPacket p =
        q.hasPorts()
            ? TracedPacket.of(srcIp, dstIp, q.protocol(), srcPort, dstPort, OptionalInt.empty())
            : TracedPacket.of(srcIp, dstIp, q.protocol(), 0, 0, icmpType);
    return p.withSize(q.sizing().size(), q.sizing().allowFragmentation());
  }
}
