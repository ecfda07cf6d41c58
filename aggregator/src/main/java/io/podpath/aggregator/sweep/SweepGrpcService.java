package io.podpath.aggregator.sweep;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.api.AggregatorGrpcService;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.Suggestions;
import io.podpath.proto.v1.StatusRequest;
import io.podpath.proto.v1.SweepRequest;
import io.podpath.proto.v1.SweepResult;
import io.podpath.proto.v1.SweepUpdate;
import java.util.regex.Pattern;

/** The AggregatorService with Sweep (server-streaming progress) and Status implemented. */
public class SweepGrpcService extends AggregatorGrpcService {
  private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private final Inventory inventory;
  private final SweepService sweeps;

  public SweepGrpcService(
      Inventory inventory, AgentClient agents, MeterRegistry registry, SweepService sweeps) {
    super(inventory, agents, registry);
    this.inventory = inventory;
    this.sweeps = sweeps;
  }

  @Override
  public void sweep(SweepRequest request, StreamObserver<SweepUpdate> out) {
    for (String n : request.getNodesList()) {
      if (!NODE_NAME.matcher(n).matches()) {
        out.onError(
            Status.INVALID_ARGUMENT
                .withDescription(
                    "nodes: not a node name: " + io.podpath.aggregator.util.Shown.of(n))
                .asRuntimeException());
        return;
      }
    }
    for (String c : request.getCheckIdsList()) {
      if (!CheckIds.all().contains(c)) {
        out.onError(
            Status.INVALID_ARGUMENT
                .withDescription(
                    "check_ids: unknown check '"
                        + io.podpath.aggregator.util.Shown.of(c)
                        + "'"
                        + Suggestions.among(c, CheckIds.all())
                        + "; known: "
                        + String.join(", ", CheckIds.all()))
                .asRuntimeException());
        return;
      }
    }
    if (!inventory.synced()) {
      out.onError(
          Status.UNAVAILABLE
              .withDescription("inventory not synced yet (" + inventory.description() + ")")
              .asRuntimeException());
      return;
    }
    try {
      sweeps.sweep(request.getNodesList(), request.getCheckIdsList(), out::onNext);
    } catch (UnknownNodeException e) {
      out.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (RuntimeException e) {
      out.onError(
          Status.INTERNAL.withDescription("sweep failed: " + e).withCause(e).asRuntimeException());
      return;
    }
    out.onCompleted();
  }

  @Override
  public void status(StatusRequest request, StreamObserver<SweepResult> out) {
    java.util.Optional<SweepResult> last = sweeps.last();
    if (last.isEmpty()) {
      out.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  "no full sweep has finished yet (the aggregator runs one at start-up)")
              .asRuntimeException());
      return;
    }
    out.onNext(last.get());
    out.onCompleted();
  }
}
