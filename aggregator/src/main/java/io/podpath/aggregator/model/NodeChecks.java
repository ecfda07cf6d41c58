package io.podpath.aggregator.model;

import java.util.List;
import java.util.Optional;

/**
 * A node agent's RunChecks answer: its check results and, when asked for, the few facts the cluster
 * checks need ({@link NodeSummary}; absent from agents older than the summary).
 */
public record NodeChecks(List<Check> results, Optional<NodeSummary> summary) {
  public NodeChecks {
    results = List.copyOf(results);
  }
}
