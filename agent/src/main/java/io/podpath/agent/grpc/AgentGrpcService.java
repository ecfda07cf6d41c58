package io.podpath.agent.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import io.podpath.agent.checks.CheckService;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.exec.CallScope;
import io.podpath.agent.live.LiveCaptures;
import io.podpath.agent.node.NodeInspector;
import io.podpath.agent.pod.PodLocator;
import io.podpath.agent.trace.Tracer;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.ObserveHandle;
import io.podpath.proto.v1.ObserveResult;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.StartObserveRequest;
import io.podpath.proto.v1.TraceNodeRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * AgentService, the agent's top floor: validates each request into the domain's records ({@link
 * RequestValidator}, {@link TraceRequests}, {@link CheckMapper}), bounds the call by its deadline
 * and the agent's concurrency cap, runs the domain, maps the answer back to proto ({@link
 * ProtoMapper}, {@link NodeTraceMapper}) and every failure through {@link StatusMapper}.
 */
public final class AgentGrpcService extends AgentServiceGrpc.AgentServiceImplBase {
  /** Used when the caller sets no deadline, and as an upper bound. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(10);

  public static final Duration MAX_BUDGET = Duration.ofSeconds(60);

  /** The most a call's budget keeps back from its deadline to send the answer. */
  static final Duration MAX_RESERVE = Duration.ofSeconds(1);

  private final NodeInspector node;
  private final PodLocator pods;
  private final Tracer tracer;
  private final CheckService checks;
  private final Semaphore inFlight;
  private final LiveCaptures live = new LiveCaptures();
  private final int maxInFlight;

  public AgentGrpcService(
      NodeInspector node, PodLocator pods, Tracer tracer, CheckService checks, int maxInFlight) {
    this.node = node;
    this.pods = pods;
    this.tracer = tracer;
    this.checks = checks;
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
                      pods.inspect(
                          RequestValidator.pod(request.getPod(), "pod"),
                          request.getPodIp().isEmpty()
                              ? Optional.empty()
                              : Optional.of(RequestValidator.ip(request.getPodIp(), "pod_ip")),
                          budget,
                          request.getScheduledHere()));
              case IP ->
                  ProtoMapper.pod(
                      pods.inspectByIp(RequestValidator.ip(request.getIp(), "ip"), budget));
              case TARGET_NOT_SET -> throw new InvalidArgumentException("target", "set pod or ip");
            });
  }

  @Override
  public void traceNode(TraceNodeRequest request, StreamObserver<NodeTrace> out) {
    handle(
        out,
        budget ->
            NodeTraceMapper.toProto(
                tracer.trace(
                    TraceRequests.fromProto(request),
                    budget,
                    request.getIncludeConntrackEntries())));
  }

  @Override
  public void runChecks(RunChecksRequest request, StreamObserver<CheckReport> out) {
    handle(
        out,
        budget -> {
          var facts = CheckMapper.facts(request.getContext());
          var run = checks.run(request.getCheckIdsList(), facts, request.getIncludeSummary());
          return CheckMapper.report(checks.nodeName(), run, facts);
        });
  }

  @Override
  public void probe(ProbeRequest request, StreamObserver<ProbeResult> out) {
    handle(out, budget -> CheckMapper.probeResult(checks.probe(CheckMapper.probe(request))));
  }

  @Override
  public void startObserve(StartObserveRequest request, StreamObserver<ObserveHandle> out) {
    handle(out, budget -> LiveMapper.start(live, request));
  }

  @Override
  public void collectObserve(ObserveHandle request, StreamObserver<ObserveResult> out) {
    handle(out, budget -> LiveMapper.collect(live, request, budget));
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
    T result;
    Context call = Context.current();
    Context.CancellationListener stop = null;
    try {
      Duration budget = budget(call.getDeadline());
      // The domain sees the call's deadline and cancellation as a plain CallScope: when the
      // caller goes (cancel, deadline), the scope kills the commands started for it and wakes
      // every wait, so the slot below is free at once.
      CallScope scope = CallScope.of(budget);
      stop = c -> scope.cancel(ended(c));
      call.addListener(stop, Runnable::run);
      result = scope.within(() -> work.apply(budget));
    } catch (Throwable t) {
      if (stop != null) {
        call.removeListener(stop);
      }
      inFlight.release();
      out.onError(StatusMapper.toStatus(t).asRuntimeException());
      return;
    }
    call.removeListener(stop);
    // The slot guards the work, not the write: free it before answering, so a caller that got
    // its answer finds the slot free on its next call.
    inFlight.release();
    if (Context.current().isCancelled()) {
      return; // the caller is gone (deadline or cancel); grpc already told it why
    }
    out.onNext(result);
    out.onCompleted();
  }

  private static String ended(Context c) {
    Throwable why = c.cancellationCause();
    if (why == null) {
      return "the caller cancelled the call";
    }
    io.grpc.Status s = io.grpc.Status.fromThrowable(why);
    return s.getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED
        ? "the call's deadline passed"
        : "the caller cancelled the call";
  }

  /**
   * The time this call may use: what is left of its deadline minus a reserve (a tenth, at most
   * {@link #MAX_RESERVE}) so that the agent's own DEADLINE_EXCEEDED, which names what was slow,
   * reaches the caller before the caller's deadline fires; else the default; capped.
   */
  static Duration budget(Deadline deadline) {
    if (deadline == null) {
      return DEFAULT_BUDGET;
    }
    long ms = deadline.timeRemaining(TimeUnit.MILLISECONDS);
    if (ms <= 0) {
      throw new DeadlineExceededException("deadline already passed");
    }
    long reserve = Math.min(ms / 10, MAX_RESERVE.toMillis());
    Duration d = Duration.ofMillis(Math.max(1, ms - reserve));
    return d.compareTo(MAX_BUDGET) > 0 ? MAX_BUDGET : d;
  }
}
