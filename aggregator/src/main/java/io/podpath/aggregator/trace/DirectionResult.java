package io.podpath.aggregator.trace;

import io.podpath.proto.v1.DropInfo;
import io.podpath.proto.v1.Packet;
import java.util.List;
import java.util.Optional;

/**
 * One direction's verdict with every node's observations. {@code droppedNode}/{@code drop} for
 * DROPPED, {@code leftVia} for LEFT_CLUSTER, {@code reason} for INCONCLUSIVE ("" otherwise).
 */
public record DirectionResult(
    Verdict verdict,
    String summary,
    List<Hop> hops,
    String droppedNode,
    Optional<DropInfo> drop,
    String leftVia,
    String reason,
    Packet packet,
    List<String> notes) {
  public DirectionResult {
    hops = List.copyOf(hops);
    notes = List.copyOf(notes);
  }
}
