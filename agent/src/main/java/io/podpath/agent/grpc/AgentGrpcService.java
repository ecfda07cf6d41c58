package io.podpath.agent.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.node.NodeInspector;
import io.podpath.agent.pod.PodLocator;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.TraceNodeRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * AgentService: validates, bounds each call by its deadline and the agent's concurrency cap, runs
 * the work, and maps every failure through {@link StatusMapper}.
 */
public final class AgentGrpcService extends AgentServiceGrpc.AgentServiceImplBase {
  /** Used when the caller sets no deadline, and as an upper bound. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(10);

  public static final Duration MAX_BUDGET = Duration.ofSeconds(60);

  private final NodeInspector node;
  private final PodLocator pods;
  private final Optional<Handlers.Trace> trace;
  private final Optional<Handlers.Checks> checks;
  private final Optional<Handlers.Probe> probe;
  private final Semaphore inFlight;
  private final int maxInFlight;

  public AgentGrpcService(
      NodeInspector node,
      PodLocator pods,
      Optional<Handlers.Trace> trace,
      Optional<Handlers.Checks> checks,
      Optional<Handlers.Probe> probe,
      int maxInFlight) {
    this.node = node;
    this.pods = pods;
    this.trace = trace;
    this.checks = checks;
    this.probe = probe;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
  }

  @Override
  public void getNode(GetNodeRequest request, StreamObserver<NodeInfo> out) {
    handle(out, budget -> ProtoMapper.node(node.inspect(budget)));
  }

  @Override
  public void inspectPod(InspectPodRequest request, StreamObserver<PodInspection> out) {
    handle(
        out,
        budget ->
            switch (request.getTargetCase()) {
              case POD ->
                  ProtoMapper.pod(
                      pods.inspect(RequestValidator.pod(request.getPod(), "pod"), budget));
              case IP ->
                  ProtoMapper.pod(
                      pods.inspectByIp(RequestValidator.ip(request.getIp(), "ip"), budget));
              case TARGET_NOT_SET -> throw new InvalidArgumentException("target", "set pod or ip");
            });
  }

  @Override
  public void traceNode(TraceNodeRequest request, StreamObserver<NodeTrace> out) {
    delegate(trace, out, h -> budget -> h.trace(request, budget), "TraceNode");
  }

  @Override
  public void runChecks(RunChecksRequest request, StreamObserver<CheckReport> out) {
    delegate(checks, out, h -> budget -> h.run(request, budget), "RunChecks");
  }

  @Override
  public void probe(ProbeRequest request, StreamObserver<ProbeResult> out) {
    delegate(probe, out, h -> budget -> h.probe(request, budget), "Probe");
  }

  private <H, T> void delegate(
      Optional<H> handler,
      StreamObserver<T> out,
      Function<H, Function<Duration, T>> call,
      String rpc) {
    if (handler.isEmpty()) {
      out.onError(
          Status.UNIMPLEMENTED
              .withDescription(rpc + " is not available in this agent build")
              .asRuntimeException());
      return;
    }
    handle(out, call.apply(handler.get()));
  }

  private <T> void handle(StreamObserver<T> out, Function<Duration, T> work) {
    if (!inFlight.tryAcquire()) {
      out.onError(
          StatusMapper.toStatus(
                  new StatusMapper.TooBusyException(
                      "agent is busy: " + maxInFlight + " calls already in flight"))
              .asRuntimeException());
      return;
    }
    try {
      Duration budget = budget(Context.current().getDeadline());
      T result = work.apply(budget);
      if (Context.current().isCancelled()) {
        return; // the caller is gone (deadline or cancel); grpc already told it why
      }
      out.onNext(result);
      out.onCompleted();
    } catch (Throwable t) {
      out.onError(StatusMapper.toStatus(t).asRuntimeException());
    } finally {
      inFlight.release();
    }
  }

  /** The time this call may use: what is left of its deadline, else the default; capped. */
  static Duration budget(Deadline deadline) {
    if (deadline == null) {
      return DEFAULT_BUDGET;
    }
    long ms = deadline.timeRemaining(TimeUnit.MILLISECONDS);
    if (ms <= 0) {
      throw new io.podpath.agent.errors.DeadlineExceededException("deadline already passed");
    }
    Duration d = Duration.ofMillis(ms);
    return d.compareTo(MAX_BUDGET) > 0 ? MAX_BUDGET : d;
  }
}
