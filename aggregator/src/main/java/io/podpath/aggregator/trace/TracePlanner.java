package io.podpath.aggregator.trace;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.model.CallScope;
import io.podpath.common.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Plans and stitches a trace: resolves source and destination, plans both directions per
 * destination endpoint once, then traces each through as many nodes as the packet crosses. Pure
 * logic: every fact about a node comes from that node's agent.
 *
 * <p>The directions are independent (the reply starts from the resolved destination, not from the
 * forward result), so they run concurrently: each direction still follows its own tunnel chain hop
 * by hop, every agent call keeps its own deadline, the caller's {@link CallScope} reaches every
 * direction's thread and agent call, and the results come back in a fixed order.
 */
public final class TracePlanner {
  private final Inventory inventory;
  private final EndpointResolver resolver;
  private final NextHopSpeculation speculation;
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
    this.inventory = inventory;
    this.resolver = new EndpointResolver(inventory);
    this.speculation = NextHopSpeculation.onSharedPool();
    this.tracer = new DirectionTracer(inventory, agents, speculation);
    this.executor = executor;
  }

  /** A trace without a caller deadline (each agent call keeps its own). */
  public TraceReport trace(TraceQuery q) {
    return trace(q, CallScope.unbounded());
  }

  /**
   * Traces within the caller's {@code scope}: once it is cancelled or past its deadline no further
   * agent call starts, calls in flight are cancelled, and the trace fails with {@link
   * TraceException.Kind#CANCELLED}.
   */
  public TraceReport trace(TraceQuery q, CallScope scope) {
    return trace(q, scope, true);
  }

  /**
   * As {@link #trace(TraceQuery, CallScope)}; {@code speculate} false makes every agent call only
   * when the direction gets to it (a live trace: no call the sequential trace would not make).
   */
  public TraceReport trace(TraceQuery q, CallScope scope, boolean speculate) {
    if (q.maxHops() < 1 || q.maxHops() > 16) {
      throw TraceException.invalid("max_hops: " + q.maxHops() + " is not in 1-16");
    }
    if (q.source() instanceof EndpointSpec.Node n) {
      NodeInfo node = resolver.sourceNode(n);
      return fromNode(q, node, destinations(q), scope, speculate, "node/" + node.name());
    }
    Optional<EndpointSpec.Node> host = resolver.hostNetworkNode(q.source(), "source");
    if (host.isPresent()) {
      NodeInfo node = resolver.sourceNode(host.get());
      String label = q.source() + " (hostNetwork on " + node.name() + ")";
      return fromNode(q, node, destinations(q), scope, speculate, label);
    }
    List<OutsideSource.Entry> outside = OutsideSource.entries(q, inventory);
    if (!outside.isEmpty()) {
      return fromOutside(q, outside, scope, speculate);
    }
    PodInfo src = resolver.source(q.source());
    List<Destination> destinations = destinations(q);
    List<Plan> plans = destinations.stream().map(d -> Plan.of(q, src, d)).toList();
    // Every direction but the last reply goes to the executor in result order; the calling thread
    // traces the last reply itself. A sequential executor thus keeps the old call order.
    List<CompletableFuture<DirectionResult>> forwards = new ArrayList<>();
    List<Optional<CompletableFuture<DirectionResult>>> replies = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      Plan p = plans.get(i);
      boolean last = i == plans.size() - 1;
      forwards.add(
          CompletableFuture.supplyAsync(
              () -> direction(p.forward(), q, scope, speculate), executor));
      replies.add(
          p.reply()
              .map(
                  r -> {
                    Supplier<DirectionResult> reply = () -> reply(p, r, q, scope, speculate);
                    return last
                        ? completedOrFailed(reply)
                        : CompletableFuture.supplyAsync(reply, executor);
                  }));
    }
    List<EndpointResult> results = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      Plan p = plans.get(i);
      Destination d = p.destination();
      DirectionResult forward = join(forwards.get(i), p.forward());
      Optional<DirectionResult> reply = replies.get(i).map(f -> join(f, p.reply().orElseThrow()));
      Optional<Plan.Traceable> toNode =
          reply.isPresent() ? NodeReply.fromPod(inventory, q, src, d, forward) : Optional.empty();
      Optional<Plan.Traceable> back =
          reply.isPresent() && toNode.isEmpty() ? OutsideReply.of(q, src, d, forward) : toNode;
      if (back.isPresent()) {
        // The reply starts at a node or outside: it is traced once the forward says where.
        String note =
            toNode.isPresent()
                ? NodeReply.note(toNode.get())
                : OutsideReply.note(q, src, d, forward);
        reply =
            Optional.of(
                join(
                        completedOrFailed(() -> direction(back.get(), q, scope, speculate)),
                        back.get())
                    .withNote(note));
      }
      results.add(
          new EndpointResult(
              d.label(), d.pod().map(PodInfo::ref), d.ip(), d.port(), forward, reply));
    }
    return new TraceReport(src.ref().toString(), q.destination().toString(), results);
  }

  private List<Destination> destinations(TraceQuery q) {
    List<Destination> destinations = resolver.destinations(q.destination(), q);
    if (q.hasPorts() && destinations.stream().anyMatch(d -> d.sendPort() == 0)) {
      throw TraceException.invalid("dst_port: required for " + q.protocol().name());
    }
    return destinations;
  }

  /**
   * SRC node/NAME (or a hostNetwork pod, which shares its node's stack): each destination's forward
   * direction starts in the node's kernel; its reply waits for it, to answer the source the kernel
   * chose.
   */
  private TraceReport fromNode(
      TraceQuery q,
      NodeInfo node,
      List<Destination> destinations,
      CallScope scope,
      boolean speculate,
      String sourceLabel) {
    List<EndpointResult> results = new ArrayList<>();
    for (Destination d : destinations) {
      Plan.Traceable forwardLeg = NodeSource.forward(q, node, d);
      DirectionResult forward =
          join(completedOrFailed(() -> direction(forwardLeg, q, scope, speculate)), forwardLeg);
      Optional<DirectionResult> reply = Optional.empty();
      if (!q.forwardOnly()) {
        List<String> notes = new ArrayList<>();
        String chosen = NodeSource.chosenSource(forward).orElse(node.internalIp());
        Optional<Plan.Traceable> toNode =
            NodeReply.fromNode(inventory, q, node, chosen, d, forward);
        toNode.ifPresent(t -> notes.add(NodeReply.note(t)));
        Plan.Leg leg =
            toNode.isPresent() ? toNode.get() : NodeSource.reply(q, node, d, forward, notes);
        DirectionResult r = join(completedOrFailed(() -> direction(leg, q, scope, speculate)), leg);
        for (String note : notes) {
          r = r.withNote(note);
        }
        reply = Optional.of(r);
      }
      results.add(
          new EndpointResult(
              d.label(), d.pod().map(PodInfo::ref), d.ip(), d.port(), forward, reply));
    }
    return new TraceReport(sourceLabel, q.destination().toString(), results);
  }

  /**
   * SRC ip:ADDRESS outside the cluster: at each node it enters at, each destination's forward
   * direction arrives at that node's uplink; its reply goes from the destination pod back to that
   * address.
   */
  private TraceReport fromOutside(
      TraceQuery q, List<OutsideSource.Entry> entries, CallScope scope, boolean speculate) {
    List<EndpointResult> results = new ArrayList<>();
    boolean each = entries.size() > 1;
    for (OutsideSource.Entry e : entries) {
      OutsideTargets.Targets targets = OutsideTargets.at(resolver, inventory, q, e.node().name());
      if (q.hasPorts() && targets.destinations().stream().anyMatch(d -> d.sendPort() == 0)) {
        throw TraceException.invalid("dst_port: required for " + q.protocol().name());
      }
      for (Destination d : targets.destinations()) {
        // the node it enters at is in each direction's summary; the endpoint's label says it too
        String label = each ? "at " + e.node().name() + ": " + d.label() : d.label();
        Plan.Traceable forwardLeg = OutsideSource.forward(q, e, d);
        DirectionResult forward =
            join(completedOrFailed(() -> direction(forwardLeg, q, scope, speculate)), forwardLeg);
        if (each) {
          forward = forward.withNote(OutsideSource.everyNodeNote(d.sendIp()));
        }
        if (targets.noLocalEndpoint().isPresent()) {
          forward = OutsideSource.noLocalEndpoint(forward, targets.noLocalEndpoint().get());
        }
        Optional<DirectionResult> reply = Optional.empty();
        if (!q.forwardOnly()) {
          Plan.Leg leg = OutsideSource.reply(q, e, d, forward, targets.noLocalEndpoint());
          reply =
              Optional.of(
                  OutsideSource.checkExit(
                      e,
                      leg,
                      join(completedOrFailed(() -> direction(leg, q, scope, speculate)), leg)));
        }
        results.add(
            new EndpointResult(label, d.pod().map(PodInfo::ref), d.ip(), d.port(), forward, reply));
      }
    }
    String source =
        each ? "ip:" + entries.get(0).ip() + " (entering at each node)" : entries.get(0).label();
    return new TraceReport(source, q.destination().toString(), results);
  }

  /** Speculative calls whose answer was used ({@link NextHopSpeculation}). */
  public long speculationHits() {
    return speculation.hits();
  }

  /** Speculative calls started and then cancelled or ignored. */
  public long speculationMisses() {
    return speculation.misses();
  }

  private static <T> CompletableFuture<T> completedOrFailed(Supplier<T> s) {
    try {
      return CompletableFuture.completedFuture(s.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The direction's result. A TraceException is the caller's error (or the caller gave up) and
   * fails the whole trace; any other failure makes only this direction INCONCLUSIVE, so the other
   * direction is kept.
   */
  private static DirectionResult join(CompletableFuture<DirectionResult> f, Plan.Leg leg) {
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
      return DirectionTracer.unstartable(
          leg.goal(), leg.packet(), "tracing this direction failed: " + cause);
    }
  }

  private DirectionResult direction(
      Plan.Leg leg, TraceQuery q, CallScope scope, boolean speculate) {
    if (leg instanceof Plan.Traceable t) {
      return tracer.run(t, q.maxHops(), scope, speculate);
    }
    if (leg instanceof Plan.InsidePod in) {
      return new DirectionResult.Delivered(
          Summaries.insidePod(in.goal(), in.node()),
          List.of(),
          in.packet(),
          List.of(
              "the destination is an address of the source pod itself: the pod's kernel delivers"
                  + " it through its own loopback (local routing table); it never reaches eth0,"
                  + " OVS or the node"));
    }
    Plan.Untraceable u = (Plan.Untraceable) leg;
    return DirectionTracer.unstartable(u.goal(), u.packet(), u.reason());
  }

  private DirectionResult reply(
      Plan p, Plan.Leg leg, TraceQuery q, CallScope scope, boolean speculate) {
    DirectionResult result = direction(leg, q, scope, speculate);
    Destination d = p.destination();
    if (leg instanceof Plan.Untraceable || d.vip().isEmpty()) {
      return result;
    }
    return result.withNote(
        "the reply leaves "
            + d.pod().orElseThrow().ref()
            + " from "
            + HostPort.of(d.ip(), d.port())
            + "; conntrack (state est,rpl) reverses the load balancer's DNAT back to "
            + d.vip().get());
  }
}
