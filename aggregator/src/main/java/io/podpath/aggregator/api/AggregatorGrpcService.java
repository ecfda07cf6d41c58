package io.podpath.aggregator.api;

import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.inventory.Suggestions;
import io.podpath.aggregator.trace.DirectionResult;
import io.podpath.aggregator.trace.EndpointResult;
import io.podpath.aggregator.trace.TracePlanner;
import io.podpath.aggregator.trace.TraceQuery;
import io.podpath.aggregator.trace.TraceReport;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.InspectRequest;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.TraceRequest;
import io.podpath.proto.v1.TraceResult;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The aggregator's gRPC face for the CLI: Trace and Inspect. Sweep and Status belong to the sweep
 * subsystem; until it overrides them here they answer UNIMPLEMENTED (the generated default).
 */
public class AggregatorGrpcService extends AggregatorServiceGrpc.AggregatorServiceImplBase {
  private final Inventory inventory;
  private final AgentClient agents;
  private final TracePlanner planner;
  private final MeterRegistry registry;

  public AggregatorGrpcService(Inventory inventory, AgentClient agents, MeterRegistry registry) {
    this.inventory = inventory;
    this.agents = agents;
    this.planner = new TracePlanner(inventory, agents);
    this.registry = registry;
  }

  @Override
  public void trace(TraceRequest request, StreamObserver<TraceResult> out) {
    Timer.Sample sample = Timer.start(registry);
    answer(
        out,
        () -> {
          TraceQuery q = RequestValidator.trace(request);
          requireSynced();
          TraceReport report = planner.trace(q);
          for (EndpointResult e : report.endpoints()) {
            count("forward", e.forward());
            e.reply().ifPresent(r -> count("reply", r));
          }
          return ProtoMapper.toProto(report);
        });
    sample.stop(
        Timer.builder("podpath.trace.duration").description("Trace RPCs").register(registry));
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
                          new io.podpath.aggregator.trace.TraceException(
                              io.podpath.aggregator.trace.TraceException.Kind.NOT_FOUND,
                              "pod "
                                  + ref
                                  + " not found"
                                  + Suggestions.forPod(inventory.current(), ref)));
          if (pod.node().isEmpty()) {
            throw new io.podpath.aggregator.trace.TraceException(
                io.podpath.aggregator.trace.TraceException.Kind.FAILED_PRECONDITION,
                "pod " + ref + " is not scheduled on a node");
          }
          return agents.inspectPod(
              pod.node(),
              InspectPodRequest.newBuilder()
                  .setPod(PodRef.newBuilder().setNamespace(ref.namespace()).setName(ref.name()))
                  .build());
        });
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
