package io.podpath.aggregator.trace;

import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.Outcome;
import io.podpath.aggregator.model.TracedPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A direction in progress: the hops so far and the notes the stitcher made. */
final class DirectionRun {
  final Goal goal;
  final TracedPacket packet;
  final List<NodeAnswer> answers = new ArrayList<>();
  final List<String> notes = new ArrayList<>();

  /** A node's kernel rewrote the destination (NodePort, ExternalIP) before OVS saw it again. */
  boolean kernelDnat;

  /** The reply reached the node that NATed its connection, which reversed the NAT (Goal.UnNat). */
  boolean unNatted;

  DirectionRun(Goal goal, TracedPacket packet) {
    this.goal = goal;
    this.packet = packet;
  }

  List<String> nodes() {
    return answers.stream().map(NodeAnswer::node).toList();
  }

  List<Hop> hops(boolean endsAtDestination) {
    // each node's place in the order first visited (a hairpin visits one twice)
    List<String> order = answers.stream().map(NodeAnswer::node).distinct().toList();
    int last = order.size() - 1;
    List<Hop> out = new ArrayList<>();
    for (NodeAnswer a : answers) {
      int at = order.indexOf(a.node());
      Hop.Role role;
      if (at == 0) {
        role = endsAtDestination && last == 0 ? Hop.Role.SOURCE_AND_DESTINATION : Hop.Role.SOURCE;
      } else if (at == last && endsAtDestination) {
        role = Hop.Role.DESTINATION;
      } else {
        role = Hop.Role.TRANSIT;
      }
      out.add(new Hop(a.node(), role, a));
    }
    return out;
  }

  DirectionResult delivered() {
    List<Hop> hops = hops(true);
    return new DirectionResult.Delivered(Summaries.delivered(goal, hops), hops, packet, notes);
  }

  DirectionResult dropped(String node, Optional<Outcome.Drop> drop) {
    return new DirectionResult.Dropped(
        Summaries.dropped(goal, node, drop),
        // The node that dropped it is the destination node only if the pod lives there.
        hops(goal.pod().map(p -> p.node().equals(node)).orElse(false)),
        packet,
        notes,
        node,
        drop);
  }

  DirectionResult left(String via) {
    return new DirectionResult.LeftCluster(
        Summaries.left(goal, via), hops(false), packet, notes, via, Optional.empty(), false);
  }

  DirectionResult routedOut(String via, Optional<String> egressSource) {
    String summary =
        Summaries.left(goal, via) + egressSource.map(s -> " with source " + s).orElse("");
    return new DirectionResult.LeftCluster(
        summary, hops(false), packet, notes, via, egressSource, true);
  }

  DirectionResult inconclusive(String reason) {
    return new DirectionResult.Inconclusive(
        Summaries.inconclusive(goal, reason), hops(false), packet, notes, reason);
  }

  DirectionResult agentFailed(String node, AgentException e) {
    String reason = agentFailure(node, e);
    return new DirectionResult.Inconclusive(
        Summaries.inconclusive(goal, reason), hops(false), packet, notes, reason, unreachable(e));
  }

  /** podpath could not ask the agent at all: the answer is unknown because of its own reach. */
  static boolean unreachable(AgentException e) {
    return switch (e.kind()) {
      case NO_AGENT, UNREACHABLE, TIMEOUT -> true;
      case NOT_FOUND, REJECTED, FAILED, CANCELLED -> false;
    };
  }

  static String agentFailure(String node, AgentException e) {
    return switch (e.kind()) {
      case NO_AGENT -> "no agent known for node " + node;
      case UNREACHABLE -> "the agent on " + node + " is unreachable: " + e.getMessage();
      case TIMEOUT -> "the agent on " + node + " did not answer in time: " + e.getMessage();
      case NOT_FOUND -> "the agent on " + node + " does not know the ingress: " + e.getMessage();
      case REJECTED -> "the agent on " + node + " rejected the request: " + e.getMessage();
      case FAILED -> "the agent on " + node + " failed: " + e.getMessage();
      case CANCELLED -> "the call to the agent on " + node + " was cancelled: " + e.getMessage();
    };
  }
}
