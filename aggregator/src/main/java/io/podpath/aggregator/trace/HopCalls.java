package io.podpath.aggregator.trace;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeQuery;
import java.util.Optional;

/**
 * One direction's agent calls, in order: each is remembered as the one its predecessor led to, and
 * the one it led to last time is started beside it ({@link NextHopSpeculation}). Without
 * speculation (a live trace) every call is made when the direction gets to it. Close it when the
 * direction ends: a speculation still in flight is cancelled.
 */
final class HopCalls implements AutoCloseable {
  private final AgentClient agents;
  private final CallScope scope;
  private final Optional<NextHopSpeculation> speculation;
  private Optional<NextHopSpeculation.Call> previous = Optional.empty();
  private Optional<NextHopSpeculation.Flight> flight = Optional.empty();

  HopCalls(AgentClient agents, CallScope scope, Optional<NextHopSpeculation> speculation) {
    this.agents = agents;
    this.scope = scope;
    this.speculation = speculation;
  }

  /**
   * The node's answer to {@code query}, the speculative one when it asked exactly this. {@code
   * another} says whether the direction may make a further call after this one (its hop limit).
   */
  NodeAnswer traceNode(String node, NodeQuery query, boolean another) {
    NextHopSpeculation.Call call = new NextHopSpeculation.Call(node, query);
    Optional<NodeAnswer> early = Optional.empty();
    if (flight.isPresent()) {
      early = flight.get().take(call);
      flight = Optional.empty();
    }
    if (speculation.isPresent()) {
      if (previous.isPresent()) {
        speculation.get().learn(previous.get(), call);
      }
      previous = Optional.of(call);
      if (another) {
        flight = speculation.get().start(call, agents, scope);
      }
    }
    return early.isPresent() ? early.get() : agents.traceNode(node, query, scope);
  }

  @Override
  public void close() {
    flight.ifPresent(NextHopSpeculation.Flight::discard);
    flight = Optional.empty();
  }
}
