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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Plans and stitches a trace: resolves source and destination, then for every destination endpoint
 * traces the forward direction and the reply, each through as many nodes as the packet crosses.
 * Pure logic: every fact about a node comes from that node's agent.
 *
 * <p>The directions are independent (the reply starts from the resolved destination, not from the
 * forward result), so they run concurrently: each direction still follows its own tunnel chain hop
 * by hop, every agent call keeps its own deadline, and the results come back in a fixed order.
 */
public final class TracePlanner {
  private static final int ICMP_ECHO_REQUEST = 8;
  private static final int ICMP_ECHO_REPLY = 0;

  private final EndpointResolver resolver;
  private final DirectionTracer tracer;
  private final Executor executor;

  public TracePlanner(Inventory inventory, AgentClient agents) {
    this(inventory, agents, DirectionPool.shared());
  }

  /**
   * @param executor runs directions besides the one the calling thread traces itself; {@code
   *     Runnable::run} makes the whole trace sequential (forward, then reply, endpoint by endpoint)
   */
  public TracePlanner(Inventory inventory, AgentClient agents, Executor executor) {
    this.resolver = new EndpointResolver(inventory);
    this.tracer = new DirectionTracer(inventory, agents);
    this.executor = executor;
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
    // Every direction but the last reply goes to the executor in result order; the calling thread
    // traces the last reply itself. A sequential executor thus keeps the old call order.
    List<CompletableFuture<DirectionResult>> forwards = new ArrayList<>();
    List<CompletableFuture<Optional<DirectionResult>>> replies = new ArrayList<>();
    for (int i = 0; i < destinations.size(); i++) {
      Destination d = destinations.get(i);
      forwards.add(CompletableFuture.supplyAsync(() -> forward(q, src, d), executor));
      Supplier<Optional<DirectionResult>> reply = () -> replyOf(q, src, d);
      replies.add(
          i < destinations.size() - 1
              ? CompletableFuture.supplyAsync(reply, executor)
              : completedOrFailed(reply));
    }
    List<EndpointResult> results = new ArrayList<>();
    for (int i = 0; i < destinations.size(); i++) {
      Destination d = destinations.get(i);
      DirectionResult forward =
          join(
              forwards.get(i),
              why -> unstartable(forwardGoal(q, src, d), forwardPacket(q, src, d), why));
      Optional<DirectionResult> reply =
          join(
              replies.get(i),
              why -> Optional.of(unstartable(replyGoal(q, src, d), replyPacket(q, src, d), why)));
      results.add(
          new EndpointResult(
              d.label(), d.pod().map(PodInfo::ref), d.ip(), d.port(), forward, reply));
    }
    return new TraceReport(src.ref().toString(), q.destination().toString(), results);
  }

  private static <T> CompletableFuture<T> completedOrFailed(Supplier<T> s) {
    try {
      return CompletableFuture.completedFuture(s.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The direction's result. A TraceException is the caller's error and fails the whole trace; any
   * other failure makes only this direction INCONCLUSIVE, so the other direction is kept.
   */
  private static <T> T join(CompletableFuture<T> f, Function<String, T> failed) {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof TraceException te) {
        throw te;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      return failed.apply("tracing this direction failed: " + cause);
    }
  }

  private DirectionResult forward(TraceQuery q, PodInfo src, Destination d) {
    TraceNodeRequest forwardRequest =
        TraceNodeRequest.newBuilder()
            .setPod(podRef(src))
            .setPacket(forwardPacket(q, src, d))
            .setIncludeRaw(q.includeRaw())
            .build();
    return tracer.run(src.node(), forwardRequest, forwardGoal(q, src, d), q.maxHops(), true);
  }

  private static Packet forwardPacket(TraceQuery q, PodInfo src, Destination d) {
    String srcIp = EndpointResolver.sameFamily(src, d.sendIp());
    return packet(q, srcIp, d.sendIp(), q.effectiveSrcPort(), d.sendPort(), q.icmpType());
  }

  private static Goal forwardGoal(TraceQuery q, PodInfo src, Destination d) {
    String srcIp = EndpointResolver.sameFamily(src, d.sendIp());
    String to = d.vip().map(v -> d.label() + " (via " + v + ")").orElse(d.label());
    String from = EndpointResolver.label(src.ref(), srcIp, q.effectiveSrcPort());
    return new Goal(from, to, d.pod(), d.vip().map(v -> new Goal.Dnat(v, d.ip(), d.port())));
  }

  private static Goal replyGoal(TraceQuery q, PodInfo src, Destination d) {
    String srcIp = EndpointResolver.sameFamily(src, d.sendIp());
    String to = EndpointResolver.label(src.ref(), srcIp, q.effectiveSrcPort());
    return new Goal(d.label(), to, Optional.of(src), Optional.empty());
  }

  private static Packet replyPacket(TraceQuery q, PodInfo src, Destination d) {
    String srcIp = EndpointResolver.sameFamily(src, d.sendIp());
    return packet(q, d.ip(), srcIp, d.port(), q.effectiveSrcPort(), replyIcmpType(q));
  }

  private Optional<DirectionResult> replyOf(TraceQuery q, PodInfo src, Destination d) {
    if (q.forwardOnly()) {
      return Optional.empty();
    }
    return Optional.of(reply(q, src, d));
  }

  private DirectionResult reply(TraceQuery q, PodInfo src, Destination d) {
    Goal goal = replyGoal(q, src, d);
    Packet notTraced = replyPacket(q, src, d);
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
