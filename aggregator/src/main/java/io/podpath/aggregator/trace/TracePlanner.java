package io.podpath.aggregator.trace;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.proto.v1.CtFlag;
import io.podpath.proto.v1.CtStateSet;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceNodeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans and stitches a trace: resolves source and destination, then for every destination endpoint
 * traces the forward direction and the reply, each through as many nodes as the packet crosses.
 * Pure logic: every fact about a node comes from that node's agent.
 */
public final class TracePlanner {
  private static final int ICMP_ECHO_REQUEST = 8;
  private static final int ICMP_ECHO_REPLY = 0;

  private final EndpointResolver resolver;
  private final DirectionTracer tracer;

  public TracePlanner(Inventory inventory, AgentClient agents) {
    this.resolver = new EndpointResolver(inventory);
    this.tracer = new DirectionTracer(inventory, agents);
  }

  public TraceReport trace(TraceQuery q) {
    if (q.maxHops() < 1 || q.maxHops() > 16) {
      throw TraceException.invalid("max_hops: " + q.maxHops() + " is not in 1-16");
    }
    PodInfo src = resolver.source(q.source());
    List<Destination> destinations = resolver.destinations(q.destination(), q);
    if (q.hasPorts() && destinations.stream().anyMatch(d -> d.sendPort() == 0)) {
      throw TraceException.invalid(
          "dst_port: required for " + EndpointResolver.protocolName(q.protocol()));
    }
    List<EndpointResult> results = new ArrayList<>();
    for (Destination d : destinations) {
      results.add(traceEndpoint(q, src, d));
    }
    return new TraceReport(src.ref().toString(), q.destination().toString(), results);
  }

  private EndpointResult traceEndpoint(TraceQuery q, PodInfo src, Destination d) {
    String srcIp = EndpointResolver.sameFamily(src, d.sendIp());
    int srcPort = q.effectiveSrcPort();
    Packet forwardPacket = packet(q, srcIp, d.sendIp(), srcPort, d.sendPort(), q.icmpType());
    TraceNodeRequest forwardRequest =
        TraceNodeRequest.newBuilder()
            .setPod(podRef(src))
            .setPacket(forwardPacket)
            .setIncludeRaw(q.includeRaw())
            .build();
    String to = d.vip().map(v -> d.label() + " (via " + v + ")").orElse(d.label());
    String from = EndpointResolver.label(src.ref(), srcIp, srcPort);
    Goal forwardGoal =
        new Goal(from, to, d.pod(), d.vip().map(v -> new Goal.Dnat(v, d.ip(), d.port())));
    DirectionResult forward =
        tracer.run(src.node(), forwardRequest, forwardGoal, q.maxHops(), true);

    Optional<DirectionResult> reply =
        q.forwardOnly() ? Optional.empty() : Optional.of(reply(q, src, srcIp, srcPort, d));
    return new EndpointResult(
        d.label(), d.pod().map(PodInfo::ref), d.ip(), d.port(), forward, reply);
  }

  private DirectionResult reply(
      TraceQuery q, PodInfo src, String srcIp, int srcPort, Destination d) {
    String from = d.label();
    String to = EndpointResolver.label(src.ref(), srcIp, srcPort);
    Goal goal = new Goal(from, to, Optional.of(src), Optional.empty());
    Packet notTraced = packet(q, d.ip(), srcIp, d.port(), srcPort, replyIcmpType(q));
    if (d.pod().isEmpty()) {
      return unstartable(
          goal,
          notTraced,
          "the reply starts at "
              + d.ip()
              + ", outside the cluster; podpath traces from pods and tunnels only");
    }
    if (q.protocol() == Protocol.PROTOCOL_ICMP
        && q.icmpType().isPresent()
        && q.icmpType().getAsInt() != ICMP_ECHO_REQUEST) {
      return unstartable(
          goal, notTraced, "ICMP type " + q.icmpType().getAsInt() + " expects no reply");
    }
    PodInfo dst = d.pod().get();
    TraceNodeRequest request =
        TraceNodeRequest.newBuilder()
            .setPod(podRef(dst))
            .setPacket(notTraced)
            // The reply belongs to the connection the forward packet opened: established, and in
            // the reply direction (OVN's allow-related ACL flows match ct.est && ct.rpl).
            .addCtNext(
                CtStateSet.newBuilder()
                    .addFlags(CtFlag.CT_FLAG_TRK)
                    .addFlags(CtFlag.CT_FLAG_EST)
                    .addFlags(CtFlag.CT_FLAG_RPL))
            .setIncludeRaw(q.includeRaw())
            .build();
    DirectionResult result = tracer.run(dst.node(), request, goal, q.maxHops(), false);
    if (d.vip().isEmpty()) {
      return result;
    }
    List<String> notes = new ArrayList<>(result.notes());
    notes.add(
        "the reply leaves "
            + dst.ref()
            + " from "
            + DirectionTracer.hostPort(d.ip(), d.port())
            + "; conntrack (state est,rpl) reverses the load balancer's DNAT back to "
            + d.vip().get());
    return new DirectionResult(
        result.verdict(),
        result.summary(),
        result.hops(),
        result.droppedNode(),
        result.drop(),
        result.leftVia(),
        result.reason(),
        result.packet(),
        notes);
  }

  private static DirectionResult unstartable(Goal goal, Packet packet, String reason) {
    return new DirectionResult(
        Verdict.INCONCLUSIVE,
        Summaries.inconclusive(goal, reason),
        List.of(),
        "",
        Optional.empty(),
        "",
        reason,
        packet,
        List.of());
  }

  private static java.util.OptionalInt replyIcmpType(TraceQuery q) {
    return q.protocol() == Protocol.PROTOCOL_ICMP
        ? java.util.OptionalInt.of(ICMP_ECHO_REPLY)
        : java.util.OptionalInt.empty();
  }

  private static Packet packet(
      TraceQuery q,
      String srcIp,
      String dstIp,
      int srcPort,
      int dstPort,
      java.util.OptionalInt icmpType) {
    Packet.Builder b =
        Packet.newBuilder().setSrcIp(srcIp).setDstIp(dstIp).setProtocol(q.protocol());
    if (q.hasPorts()) {
      b.setSrcPort(srcPort).setDstPort(dstPort);
    } else {
      icmpType.ifPresent(b::setIcmpType);
    }
    return b.build();
  }

  private static PodRef podRef(PodInfo pod) {
    return PodRef.newBuilder()
        .setNamespace(pod.ref().namespace())
        .setName(pod.ref().name())
        .build();
  }
}
