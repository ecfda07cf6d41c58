package io.podpath.aggregator.api;

import io.podpath.aggregator.agents.AgentProtos;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.trace.DirectionResult;
import io.podpath.aggregator.trace.EndpointResult;
import io.podpath.aggregator.trace.Hop;
import io.podpath.aggregator.trace.TraceReport;
import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import java.util.List;
import java.util.Optional;

/** Trace records to their wire form. */
final class ProtoMapper {
  private ProtoMapper() {}

  static TraceResult toProto(TraceReport r) {
    TraceResult.Builder b =
        TraceResult.newBuilder().setSource(r.source()).setDestination(r.destination());
    for (EndpointResult e : r.endpoints()) {
      EndpointTrace.Builder eb =
          EndpointTrace.newBuilder()
              .setEndpoint(e.label())
              .setIp(e.ip())
              .setPort(e.port())
              .setForward(direction(e.forward()));
      e.pod()
          .ifPresent(
              p -> eb.setPod(PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name())));
      e.reply().ifPresent(d -> eb.setReply(direction(d)));
      b.addEndpoints(eb);
    }
    return b.build();
  }

  static DirectionTrace direction(DirectionResult d) {
    DirectionTrace.Builder b =
        DirectionTrace.newBuilder()
            .setVerdict(verdict(d))
            .setSummary(d.summary())
            .setPacket(AgentProtos.packet(d.packet()))
            .addAllNotes(d.notes());
    if (d instanceof DirectionResult.Dropped x) {
      b.setDroppedNode(x.node());
      x.drop().ifPresent(drop -> b.setCauseCode(drop.causeCode()));
      // the agent's own drop record (with its OVN logical flow), from the hop that dropped it
      if (x.drop().isPresent()) {
        lastTrace(x.hops())
            .filter(t -> t.getOutcome().hasDrop())
            .ifPresent(t -> b.setDrop(t.getOutcome().getDrop()));
      }
    } else if (d instanceof DirectionResult.LeftCluster x) {
      b.setLeftVia(x.via());
      x.egressSource().ifPresent(b::setEgressSource);
    } else if (d instanceof DirectionResult.Inconclusive x) {
      b.setReason(x.reason()).setAgentUnreachable(x.agentUnreachable());
    }
    for (Hop h : d.hops()) {
      NodeObservation.Builder o =
          NodeObservation.newBuilder().setNode(h.node()).setRole(role(h.role()));
      trace(h.answer()).ifPresent(o::setTrace);
      b.addNodes(o);
    }
    return b.build();
  }

  private static Optional<NodeTrace> lastTrace(List<Hop> hops) {
    return hops.isEmpty() ? Optional.empty() : trace(hops.get(hops.size() - 1).answer());
  }

  /** The agent's answer as it came over the wire (the evidence the agent client carries). */
  private static Optional<NodeTrace> trace(NodeAnswer a) {
    return a.evidence() instanceof AgentProtos.AgentTrace t
        ? Optional.of(t.trace())
        : Optional.empty();
  }

  static Verdict verdict(DirectionResult d) {
    return switch (d.verdict()) {
      case DELIVERED -> Verdict.VERDICT_DELIVERED;
      case DROPPED -> Verdict.VERDICT_DROPPED;
      case LEFT_CLUSTER -> Verdict.VERDICT_LEFT_CLUSTER;
      case INCONCLUSIVE -> Verdict.VERDICT_INCONCLUSIVE;
    };
  }

  static NodeObservation.Role role(Hop.Role r) {
    return switch (r) {
      case SOURCE -> NodeObservation.Role.ROLE_SOURCE;
      case TRANSIT -> NodeObservation.Role.ROLE_TRANSIT;
      case DESTINATION -> NodeObservation.Role.ROLE_DESTINATION;
      case SOURCE_AND_DESTINATION -> NodeObservation.Role.ROLE_SOURCE_AND_DESTINATION;
    };
  }
}
