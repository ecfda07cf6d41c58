package io.podpath.aggregator.agents;

import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.ChecksRequest;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeChecks;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.aggregator.model.NodeReading;
import io.podpath.aggregator.model.NodeTunnels;
import io.podpath.aggregator.model.PodPing;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.ObserveHandle;
import io.podpath.proto.v1.ObserveResult;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.StartObserveRequest;
import io.podpath.proto.v1.TunnelPort;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Calls a node's agent by node name. The planner's call ({@link #traceNode}) speaks the domain's
 * records; no gRPC type appears here. Every method throws {@link AgentException} on failure; the
 * asynchronous ones complete exceptionally with it instead.
 */
public interface AgentClient {
  NodeInfo getNode(String node);

  /** The node's tunnel ports (from {@link #getNode}), in the domain's terms. */
  default NodeTunnels tunnels(String node) {
    NodeInfo n = getNode(node);
    return new NodeTunnels(
        n.getEncapType(), n.getTunnelsList().stream().map(TunnelPort::getRemoteIp).toList());
  }

  PodInspection inspectPod(String node, InspectPodRequest request);

  /**
   * Traces one node's part of a path. The call ends (CANCELLED) when {@code scope} is cancelled,
   * and never outlives the scope's deadline.
   */
  NodeAnswer traceNode(String node, NodeQuery query, CallScope scope);

  /** RunChecks on the node's agent (the sweep's per-node call). */
  default CheckReport runChecks(String node, RunChecksRequest request) {
    throw new AgentException(AgentException.Kind.FAILED, node, "RunChecks not supported here");
  }

  /** Probe: one real packet from a pod on the node (the sweep's active MTU probe). */
  default ProbeResult probe(String node, ProbeRequest request) {
    throw new AgentException(AgentException.Kind.FAILED, node, "Probe not supported here");
  }

  /** Live trace: opens a capture on the node (returns once it captures). */
  default ObserveHandle startObserve(String node, StartObserveRequest request) {
    throw new AgentException(AgentException.Kind.FAILED, node, "StartObserve not supported here");
  }

  /** Live trace: waits for the capture's deadline and returns its sightings. */
  default ObserveResult collectObserve(String node, ObserveHandle handle, Duration deadline) {
    throw new AgentException(AgentException.Kind.FAILED, node, "CollectObserve not supported here");
  }

  /*
   * The sweep's calls, without a thread per call in flight where the implementation can (gRPC's
   * does). These defaults run the blocking methods on a shared pool: for implementations that
   * only have those.
   */

  default CompletableFuture<CheckReport> runChecksAsync(
      String node, RunChecksRequest request, Duration deadline) {
    return Blocking.call(node, deadline, () -> runChecks(node, request));
  }

  default CompletableFuture<NodeInfo> getNodeAsync(String node, Duration deadline) {
    return Blocking.call(node, deadline, () -> getNode(node));
  }

  default CompletableFuture<ProbeResult> probeAsync(
      String node, ProbeRequest request, Duration deadline) {
    return Blocking.call(node, deadline, () -> probe(node, request));
  }

  /*
   * The same within a caller's scope: an implementation that can cancel a call in flight does so
   * when the scope is cancelled. These defaults only refuse to start once the scope has ended.
   */

  default CompletableFuture<CheckReport> runChecksAsync(
      String node, RunChecksRequest request, Duration deadline, CallScope scope) {
    return scope.stopped().isPresent()
        ? Blocking.stopped(node, scope)
        : runChecksAsync(node, request, deadline);
  }

  default CompletableFuture<NodeInfo> getNodeAsync(
      String node, Duration deadline, CallScope scope) {
    return scope.stopped().isPresent()
        ? Blocking.stopped(node, scope)
        : getNodeAsync(node, deadline);
  }

  default CompletableFuture<ProbeResult> probeAsync(
      String node, ProbeRequest request, Duration deadline, CallScope scope) {
    return scope.stopped().isPresent()
        ? Blocking.stopped(node, scope)
        : probeAsync(node, request, deadline);
  }

  /*
   * The sweep's calls in the domain's records (model), mapped here at the edge onto the wire calls
   * above, so a transport implements only those.
   */

  /** RunChecks within the caller's scope. */
  default CompletableFuture<NodeChecks> checksAsync(
      String node, ChecksRequest request, Duration deadline, CallScope scope) {
    return runChecksAsync(node, SweepCalls.request(request), deadline, scope)
        .thenApply(SweepCalls::checks);
  }

  /** GetNode within the caller's scope, as the sweep reads it (agents without a summary). */
  default CompletableFuture<NodeReading> readNodeAsync(
      String node, Duration deadline, CallScope scope) {
    return getNodeAsync(node, deadline, scope).thenApply(SweepCalls::reading);
  }

  /** Probe within the caller's scope: one ICMP echo from a pod on the node. */
  default CompletableFuture<PodPing.Result> pingAsync(
      String node, PodPing ping, Duration deadline, CallScope scope) {
    return probeAsync(node, SweepCalls.probe(ping), deadline, scope).thenApply(SweepCalls::result);
  }

  /** The defaults' pool: daemon threads, created on demand. */
  final class Blocking {
    private static final ExecutorService POOL =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "agent-call");
              t.setDaemon(true);
              return t;
            });

    private Blocking() {}

    static <T> CompletableFuture<T> call(String node, Duration deadline, Supplier<T> call) {
      return CompletableFuture.supplyAsync(call, POOL)
          .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .exceptionallyCompose(
              e ->
                  CompletableFuture.failedFuture(
                      unwrap(e) instanceof TimeoutException
                          ? new AgentException(
                              AgentException.Kind.TIMEOUT,
                              node,
                              "agent did not answer within " + deadline.toMillis() + " ms")
                          : unwrap(e)));
    }

    static <T> CompletableFuture<T> stopped(String node, CallScope scope) {
      return CompletableFuture.failedFuture(
          new AgentException(
              AgentException.Kind.CANCELLED, node, scope.stopped().orElse("cancelled")));
    }

    static Throwable unwrap(Throwable e) {
      return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
  }
}
