package io.podpath.aggregator.trace;

import io.podpath.proto.v1.NodeTrace;

/** One node's trace in a direction, as its agent returned it. */
public record Hop(String node, Role role, NodeTrace trace) {
  /** The node's part in the path. */
  public enum Role {
    SOURCE,
    TRANSIT,
    DESTINATION,
    SOURCE_AND_DESTINATION
  }
}
