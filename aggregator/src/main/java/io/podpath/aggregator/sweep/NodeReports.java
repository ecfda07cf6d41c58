package io.podpath.aggregator.sweep;

import io.podpath.aggregator.model.Check;
import io.podpath.aggregator.model.CheckStatus;
import io.podpath.aggregator.model.NodeChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A node's report as the sweep keeps it: the agent's check results with their evidence capped (the
 * result holds one report per node, and is sent whole to `podpath sweep` / `status`), and the
 * tunnels check naming the peers the node lacks a tunnel to, which only the aggregator can name.
 */
final class NodeReports {
  /** Characters of one evidence value kept (the agent caps command output at 600 too). */
  static final int EVIDENCE_VALUE_CAP = 600;

  /** Evidence entries kept per check. */
  static final int EVIDENCE_PER_CHECK = 20;

  static final String TUNNELS = "tunnels";

  /**
   * Sweeps of more nodes keep evidence only for checks that did not pass: a passing check's
   * evidence (~6 KiB a node, mostly command output) would make the result of a 5,000-node sweep ~30
   * MiB, held twice (last and current) in the aggregator's heap and sent whole to the CLI.
   */
  static final int PASSING_EVIDENCE_MAX_NODES = 50;

  private NodeReports() {}

  /** {@code facts}: the node's, when the sweep wants them and already has them. */
  static NodeResult of(
      String node, NodeChecks report, NodeFacts facts, boolean keepPassingEvidence) {
    List<Check> checks = new ArrayList<>();
    for (Check c : report.results()) {
      Check r = keepPassingEvidence || !c.status().passed() ? capped(c) : c.withEvidence(List.of());
      if (c.id().equals(TUNNELS)
          && facts != null
          && facts.tunnels().state() == NodeFacts.Tunnels.State.MISMATCH
          && c.status() != CheckStatus.OK) {
        r = r.withSummary(facts.tunnels().describe() + "; " + c.summary());
      }
      checks.add(r);
    }
    return new NodeResult(node, Optional.empty(), checks);
  }

  static Check capped(Check c) {
    List<Check.Evidence> all = c.evidence();
    if (all.size() <= EVIDENCE_PER_CHECK
        && all.stream().allMatch(e -> e.value().length() <= EVIDENCE_VALUE_CAP)) {
      return c;
    }
    List<Check.Evidence> kept = new ArrayList<>();
    for (Check.Evidence e : all.subList(0, Math.min(EVIDENCE_PER_CHECK, all.size()))) {
      kept.add(
          e.value().length() <= EVIDENCE_VALUE_CAP
              ? e
              : new Check.Evidence(e.source(), e.value().substring(0, EVIDENCE_VALUE_CAP) + "…"));
    }
    if (all.size() > EVIDENCE_PER_CHECK) {
      kept.add(
          new Check.Evidence("…", (all.size() - EVIDENCE_PER_CHECK) + " more entries not kept"));
    }
    return c.withEvidence(kept);
  }
}
