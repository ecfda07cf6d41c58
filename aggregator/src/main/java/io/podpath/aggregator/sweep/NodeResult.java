package io.podpath.aggregator.sweep;

import io.podpath.aggregator.model.Check;
import java.util.List;
import java.util.Optional;

/**
 * One node's part of a sweep: its checks, and why its agent could not be asked ({@code error},
 * present only then; the checks hold the "agent" check's UNREACHABLE result).
 */
public record NodeResult(String node, Optional<String> error, List<Check> checks) {
  public NodeResult {
    checks = List.copyOf(checks);
  }
}
