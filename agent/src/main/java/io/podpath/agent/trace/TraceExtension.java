package io.podpath.agent.trace;

import io.podpath.agent.AgentContext;
import io.podpath.agent.grpc.Handlers;
import java.util.Optional;

/**
 * Builds the TraceNode handler from the node's context, for {@code
 * io.podpath.agent.server.Extensions}: {@code new Extensions(TraceExtension::handler, ...)}. The
 * Southbound remote is {@code --ovn-sb} (ctx.ovnSb()), else the node's external_ids:ovn-remote; the
 * Northbound is {@code --ovn-nb} (ctx.ovnNb()), else guessed next to the Southbound (port 6641 /
 * ovnnb_db.sock), and optional.
 */
public final class TraceExtension {
  private TraceExtension() {}

  public static Optional<Handlers.Trace> handler(AgentContext ctx) {
    return Optional.of(
        new TraceHandler(new NodeTracer(ctx, new OvnLink(ctx.ovnSb(), ctx.ovnNb()))));
  }
}
