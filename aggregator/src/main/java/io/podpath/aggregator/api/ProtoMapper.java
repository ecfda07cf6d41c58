package io.podpath.aggregator.api;

import io.podpath.aggregator.trace.DirectionResult;
import io.podpath.aggregator.trace.EndpointResult;
import io.podpath.aggregator.trace.Hop;
import io.podpath.aggregator.trace.TraceReport;
import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;

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
            .setVerdict(verdict(d.verdict()))
            .setSummary(d.summary())
            .setDroppedNode(d.droppedNode())
            .setLeftVia(d.leftVia())
            .setReason(d.reason())
            .setPacket(d.packet())
            .addAllNotes(d.notes());
    d.drop().ifPresent(b::setDrop);
    for (Hop h : d.hops()) {
      b.addNodes(
          NodeObservation.newBuilder()
              .setNode(h.node())
              .setRole(role(h.role()))
              .setTrace(h.trace()));
    }
    return b.build();
  }

  static Verdict verdict(io.podpath.aggregator.trace.Verdict v) {
    return switch (v) {
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
