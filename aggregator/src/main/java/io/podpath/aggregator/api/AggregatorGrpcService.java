package io.podpath.aggregator.api;

import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.api.live.LiveGate;
import io.podpath.aggregator.api.live.LiveRequests;
import io.podpath.aggregator.api.live.LiveTracer;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.inventory.Suggestions;
import io.podpath.aggregator.sweep.CheckIds;
import io.podpath.aggregator.sweep.SweepService;
import io.podpath.aggregator.trace.DirectionResult;
import io.podpath.aggregator.trace.EndpointResult;
import io.podpath.aggregator.trace.TraceException;
import io.podpath.aggregator.trace.TracePlanner;
import io.podpath.aggregator.trace.TraceQuery;
import io.podpath.aggregator.trace.TraceReport;
import io.podpath.aggregator.util.Shown;
import io.podpath.common.Dns1123;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.InspectRequest;
import io.podpath.proto.v1.LiveTrace;
import io.podpath.proto.v1.NodeTarget;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.StatusRequest;
import io.podpath.proto.v1.SweepRequest;
import io.podpath.proto.v1.SweepResult;
import io.podpath.proto.v1.SweepUpdate;
import io.podpath.proto.v1.TraceRequest;
import io.podpath.proto.v1.TraceResult;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The aggregator's gRPC face for the CLI: Trace, Inspect, and — when a sweep service is given —
 * Sweep (server-streaming progress) and Status; without one they answer UNIMPLEMENTED (the
 * generated default). Every error becomes a status in {@link ErrorMapper}.
 */
public final class AggregatorGrpcService extends AggregatorServiceGrpc.AggregatorServiceImplBase {
  /** The largest cluster Kubernetes supports; one sweep names no more nodes than that. */
  static final int MAX_SWEEP_NODES = 5_000;

  private final Inventory inventory;
  private final AgentClient agents;
  private final TracePlanner planner;
  private final MeterRegistry registry;
  private final Optional<SweepService> sweeps;
  private final LiveGate live;

  /** Without Sweep/Status; live traces at the default rate. */
  public AggregatorGrpcService(Inventory inventory, AgentClient agents, MeterRegistry registry) {
    this(inventory, agents, registry, Optional.empty(), LiveGate.defaults(registry));
  }

  /** Live traces at the default rate. */
  public AggregatorGrpcService(
      Inventory inventory, AgentClient agents, MeterRegistry registry, SweepService sweeps) {
    this(inventory, agents, registry, Optional.of(sweeps), LiveGate.defaults(registry));
  }

  /** {@code sweeps} empty: Sweep/Status answer UNIMPLEMENTED. */
  public AggregatorGrpcService(
      Inventory inventory,
      AgentClient agents,
      MeterRegistry registry,
      Optional<SweepService> sweeps,
      LiveGate live) {
    this.inventory = inventory;
    this.agents = agents;
    this.planner = new TracePlanner(inventory, agents);
    this.registry = registry;
    FunctionCounter.builder("podpath.trace.speculation", planner, TracePlanner::speculationHits)
        .description("Next-hop agent calls started early: hit = answer used")
        .tag("result", "hit")
        .register(registry);
    FunctionCounter.builder("podpath.trace.speculation", planner, TracePlanner::speculationMisses)
        .description("Next-hop agent calls started early: hit = answer used")
        .tag("result", "miss")
        .register(registry);
    this.sweeps = sweeps;
    this.live = live;
  }

  @Override
  public void trace(TraceRequest request, StreamObserver<TraceResult> out) {
    Timer.Sample sample = Timer.start(registry);
    answer(
        out,
        () -> {
          TraceRequest marked = LiveRequests.withMark(request);
          TraceQuery q = RequestValidator.trace(marked);
          requireSynced();
          live.admit(marked, inventory.current());
          TraceReport report =
              CallScopes.withCurrent(scope -> planner.trace(q, scope, !marked.getLive()));
          for (EndpointResult e : report.endpoints()) {
            count("forward", e.forward());
            e.reply().ifPresent(r -> count("reply", r));
          }
          TraceResult result = ProtoMapper.toProto(report);
          if (!marked.getLive() || result.getEndpointsCount() == 0) {
            return result;
          }
          LiveTrace seen;
          try {
            seen =
                new LiveTracer(agents, this::nodeOf)
                    .run(sender(marked), result, LiveRequests.timeout(marked));
          } catch (RuntimeException e) {
            live.failed();
            throw e;
          }
          live.ran(seen);
          return result.toBuilder().setLive(seen).build();
        });
    sample.stop(
        Timer.builder("podpath.trace.duration").description("Trace RPCs").register(registry));
  }

  /** A hostNetwork pod has no netns of its own: its live packet leaves its node's stack. */
  private TraceRequest sender(TraceRequest r) {
    if (!r.getSource().hasPod()) {
      return r;
    }
    PodRef p = r.getSource().getPod();
    return inventory
        .pod(new ObjectRef(p.getNamespace(), p.getName()))
        .filter(PodInfo::hostNetwork)
        .filter(i -> !i.node().isEmpty())
        .map(
            i ->
                r.toBuilder()
                    .setSource(
                        Endpoint.newBuilder().setNode(NodeTarget.newBuilder().setName(i.node())))
                    .build())
        .orElse(r);
  }

  private Optional<String> nodeOf(PodRef pod) {
    return inventory
        .pod(new ObjectRef(pod.getNamespace(), pod.getName()))
        .map(PodInfo::node)
        .filter(n -> !n.isEmpty());
  }

  @Override
  public void inspect(InspectRequest request, StreamObserver<PodInspection> out) {
    answer(
        out,
        () -> {
          ObjectRef ref = RequestValidator.inspect(request);
          requireSynced();
          PodInfo pod =
              inventory
                  .pod(ref)
                  .orElseThrow(
                      () ->
                          new TraceException(
                              TraceException.Kind.NOT_FOUND,
                              "pod "
                                  + ref
                                  + " not found"
                                  + Suggestions.forPod(inventory.current(), ref)));
          if (pod.node().isEmpty()) {
            throw new TraceException(
                TraceException.Kind.FAILED_PRECONDITION,
                "pod " + ref + " is not scheduled on a node");
          }
          return agents.inspectPod(
              pod.node(),
              InspectPodRequest.newBuilder()
                  .setPod(PodRef.newBuilder().setNamespace(ref.namespace()).setName(ref.name()))
                  .setScheduledHere(true) // the inventory puts it there: no port is a finding
                  // CNIs that write no pod name into OVSDB are found by the pod's IP
                  .setPodIp(pod.ips().isEmpty() ? "" : pod.ips().get(0))
                  .build());
        });
  }

  @Override
  public void sweep(SweepRequest request, StreamObserver<SweepUpdate> out) {
    if (sweeps.isEmpty()) {
      super.sweep(request, out);
      return;
    }
    try {
      if (request.getNodesCount() > MAX_SWEEP_NODES) {
        throw new InvalidRequestException(
            "nodes",
            request.getNodesCount()
                + " nodes named; at most "
                + MAX_SWEEP_NODES
                + " (leave it empty to sweep every node)");
      }
      Set<String> seen = new HashSet<>();
      for (String n : request.getNodesList()) {
        if (!Dns1123.isSubdomain(n)) {
          throw new InvalidRequestException("nodes", "not a node name: " + Shown.of(n));
        }
        if (!seen.add(n)) {
          throw new InvalidRequestException("nodes", "node " + n + " is named more than once");
        }
      }
      seen.clear();
      for (String c : request.getCheckIdsList()) {
        if (!seen.add(c)) {
          throw new InvalidRequestException(
              "check_ids", "check " + Shown.of(c) + " is named more than once");
        }
        if (!CheckIds.all().contains(c)) {
          throw new InvalidRequestException(
              "check_ids",
              "unknown check '"
                  + Shown.of(c)
                  + "'"
                  + Suggestions.among(c, CheckIds.all())
                  + "; known: "
                  + String.join(", ", CheckIds.all()));
        }
      }
      requireSynced();
      CallScopes.withCurrent(
          scope ->
              sweeps
                  .get()
                  .sweep(
                      request.getNodesList(),
                      request.getCheckIdsList(),
                      u -> out.onNext(SweepProtos.update(u)),
                      scope));
    } catch (RuntimeException e) {
      out.onError(ErrorMapper.toStatus(e));
      return;
    }
    out.onCompleted();
  }

  @Override
  public void status(StatusRequest request, StreamObserver<SweepResult> out) {
    if (sweeps.isEmpty()) {
      super.status(request, out);
      return;
    }
    answer(
        out,
        () ->
            sweeps
                .get()
                .last()
                .map(SweepProtos::result)
                .orElseThrow(
                    () ->
                        new NotYetException(
                            "no full sweep has finished yet (the aggregator runs one at"
                                + " start-up)")));
  }

  private void requireSynced() {
    if (!inventory.synced()) {
      throw new NotReadyException("inventory not synced yet (" + inventory.description() + ")");
    }
  }

  private void count(String direction, DirectionResult d) {
    Counter.builder("podpath.trace.verdicts")
        .description("Verdicts given, per direction")
        .tag("direction", direction)
        .tag("verdict", d.verdict().name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  /** Runs {@code work} and completes {@code out} with its value or the mapped status. */
  static <T> void answer(StreamObserver<T> out, Supplier<T> work) {
    T value;
    try {
      value = work.get();
    } catch (RuntimeException e) {
      out.onError(ErrorMapper.toStatus(e));
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }
}
