package io.podpath.aggregator.model;

import java.util.Optional;

/**
 * What a node's agent answered: the outcome the planner reasons on, what the node's kernel did
 * after OVS (when the packet left OVS for the node's own stack), and the evidence (flows, OVN
 * records, raw text) it carries to the caller untouched.
 */
public record NodeAnswer(
    String node, Outcome outcome, Optional<KernelResult> kernel, Evidence evidence) {

  /**
   * The agent's full observation, opaque to the planner: only the edge that produced it (the agent
   * client) and the edge that returns it (the aggregator API) read it.
   */
  public interface Evidence {}
}
