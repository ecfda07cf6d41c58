package io.podpath.aggregator.trace;

import io.podpath.aggregator.model.NodeAnswer;

/** One node's trace in a direction, as its agent answered. */
public record Hop(String node, Role role, NodeAnswer answer) {
  /** The node's part in the path. */
  public enum Role {
    SOURCE,
    TRANSIT,
    DESTINATION,
    SOURCE_AND_DESTINATION
  }
}
