package io.podpath.aggregator.sweep;

import java.util.Optional;

/**
 * A sweep's progress, told as each node is done ({@code node}) and once at the end ({@code result},
 * with {@code done == total}).
 */
public record SweepProgress(
    int total, int done, Optional<NodeResult> node, Optional<SweepReport> result) {
  static SweepProgress nodeDone(int total, int done, NodeResult node) {
    return new SweepProgress(total, done, Optional.of(node), Optional.empty());
  }

  static SweepProgress finished(SweepReport result) {
    int n = result.nodes().size();
    return new SweepProgress(n, n, Optional.empty(), Optional.of(result));
  }
}
