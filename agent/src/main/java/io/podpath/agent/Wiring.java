package io.podpath.agent;

import io.podpath.agent.checks.CheckHandlers;
import io.podpath.agent.server.Extensions;
import io.podpath.agent.trace.TraceExtension;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Which RPC implementations outside the core this build serves. */
public final class Wiring {
  private Wiring() {}

  public static Extensions extensions() {
    // RunChecks and Probe share one CheckHandlers per agent (it remembers counters between sweeps).
    Map<AgentContext, CheckHandlers> checks = new ConcurrentHashMap<>();
    return new Extensions(
        TraceExtension::handler,
        ctx ->
            Optional.of(checks.computeIfAbsent(ctx, c -> CheckHandlers.forAgent(c, c.registry()))),
        ctx ->
            Optional.of(checks.computeIfAbsent(ctx, c -> CheckHandlers.forAgent(c, c.registry()))));
  }
}
