package io.podpath.aggregator.sweep;

import io.podpath.aggregator.model.Check;
import java.time.Instant;
import java.util.List;

/** One sweep's result: each node's report, in the order swept, and the cluster checks. */
public record SweepReport(
    Instant startedAt, Instant finishedAt, List<NodeResult> nodes, List<Check> clusterChecks) {
  public SweepReport {
    nodes = List.copyOf(nodes);
    clusterChecks = List.copyOf(clusterChecks);
  }
}
