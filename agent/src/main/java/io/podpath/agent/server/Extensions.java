package io.podpath.agent.server;

import io.podpath.agent.AgentContext;
import io.podpath.agent.grpc.Handlers;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the RPCs implemented outside the core are built from the node's context. {@link #none()}
 * leaves TraceNode, RunChecks and Probe UNIMPLEMENTED.
 */
public record Extensions(
    Function<AgentContext, Optional<Handlers.Trace>> trace,
    Function<AgentContext, Optional<Handlers.Checks>> checks,
    Function<AgentContext, Optional<Handlers.Probe>> probe) {

  public static Extensions none() {
    return new Extensions(c -> Optional.empty(), c -> Optional.empty(), c -> Optional.empty());
  }
}
