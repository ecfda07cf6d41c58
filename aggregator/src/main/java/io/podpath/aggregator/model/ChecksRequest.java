package io.podpath.aggregator.model;

import java.util.List;

/**
 * What a sweep asks one node's agent to check: {@code checkIds} (empty: all), against the cluster
 * as the aggregator sees it; {@code includeSummary} asks for the facts the cluster checks need.
 */
public record ChecksRequest(List<String> checkIds, ClusterContext context, boolean includeSummary) {
  public ChecksRequest {
    checkIds = List.copyOf(checkIds);
  }
}
