package io.podpath.aggregator.model;

/**
 * What a node's agent answered: the outcome the planner reasons on, and the evidence (flows, OVN
 * records, raw text) it carries to the caller untouched.
 */
public record NodeAnswer(String node, Outcome outcome, Evidence evidence) {

  /**
   * The agent's full observation, opaque to the planner: only the edge that produced it (the agent
   * client) and the edge that returns it (the aggregator API) read it.
   */
  public interface Evidence {}
}
