package io.podpath.agent.trace;

import java.time.Duration;

/**
 * TraceNode as the domain sees it: a validated {@link TraceSpec} in, a {@link NodeTraceResult} out,
 * the agent's typed errors on failure. {@link NodeTracer} is the one implementation; the gRPC edge
 * depends on this interface so its tests can stand in for the node.
 */
public interface Tracer extends AutoCloseable {
  NodeTraceResult trace(TraceSpec spec, Duration budget);

  /**
   * As {@link #trace(TraceSpec, Duration)}; {@code conntrackEntries}: also list the conntrack
   * entries of the packet's connection (TraceNodeRequest.include_conntrack_entries).
   */
  default NodeTraceResult trace(TraceSpec spec, Duration budget, boolean conntrackEntries) {
    return trace(spec, budget);
  }

  /** Releases what the tracer holds open (OVSDB monitor, OVN database connections). */
  @Override
  default void close() {}
}
