package io.podpath.aggregator.trace;

/** What happened to the packet in one direction. */
public enum Verdict {
  /** Reached the intended pod. */
  DELIVERED,
  /** Dropped on a node (table, reason, policy known). */
  DROPPED,
  /** Left the cluster's overlay towards an external address. */
  LEFT_CLUSTER,
  /** podpath could not follow the packet to the end; the reason says why. */
  INCONCLUSIVE
}
