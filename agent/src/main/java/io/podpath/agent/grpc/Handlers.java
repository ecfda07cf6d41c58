package io.podpath.agent.grpc;

import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.TraceNodeRequest;
import java.time.Duration;

/**
 * The RPCs implemented outside the core (trace, checks). Each handler validates its own request
 * (throwing InvalidArgumentException) and throws the agent's typed errors; the service maps them.
 */
public final class Handlers {
  private Handlers() {}

  /**
   * TraceNode, implemented by io.podpath.agent.trace. Closed when the agent stops: it may hold
   * connections (OVSDB monitor, OVN databases).
   */
  @FunctionalInterface
  public interface Trace extends AutoCloseable {
    NodeTrace trace(TraceNodeRequest request, Duration budget);

    @Override
    default void close() {}
  }

  /** RunChecks, implemented by io.podpath.agent.checks. */
  @FunctionalInterface
  public interface Checks {
    CheckReport run(RunChecksRequest request, Duration budget);
  }

  /** Probe, implemented by io.podpath.agent.checks. */
  @FunctionalInterface
  public interface Probe {
    ProbeResult probe(ProbeRequest request, Duration budget);
  }
}
