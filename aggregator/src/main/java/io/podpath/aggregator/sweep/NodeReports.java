package io.podpath.aggregator.sweep;

import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.Evidence;
import io.podpath.proto.v1.NodeReport;

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

  static NodeReport of(
      String node, CheckReport report, NodeFacts facts, boolean keepPassingEvidence) {
    NodeReport.Builder b = NodeReport.newBuilder().setNode(node);
    for (CheckResult c : report.getResultsList()) {
      CheckResult.Builder r =
          keepPassingEvidence || !passed(c) ? capped(c) : c.toBuilder().clearEvidence();
      if (c.getId().equals(TUNNELS)
          && facts != null
          && facts.tunnels().state() == NodeFacts.Tunnels.State.MISMATCH
          && c.getStatus() != CheckStatus.CHECK_STATUS_OK) {
        r.setSummary(facts.tunnels().describe() + "; " + c.getSummary());
      }
      b.addChecks(r);
    }
    return b.build();
  }

  static boolean passed(CheckResult c) {
    return c.getStatus() == CheckStatus.CHECK_STATUS_OK
        || c.getStatus() == CheckStatus.CHECK_STATUS_NOT_APPLICABLE;
  }

  static CheckResult.Builder capped(CheckResult c) {
    if (c.getEvidenceCount() <= EVIDENCE_PER_CHECK
        && c.getEvidenceList().stream()
            .allMatch(e -> e.getValue().length() <= EVIDENCE_VALUE_CAP)) {
      return c.toBuilder();
    }
    CheckResult.Builder r = c.toBuilder().clearEvidence();
    for (Evidence e :
        c.getEvidenceList().subList(0, Math.min(EVIDENCE_PER_CHECK, c.getEvidenceCount()))) {
      r.addEvidence(
          e.getValue().length() <= EVIDENCE_VALUE_CAP
              ? e
              : e.toBuilder()
                  .setValue(e.getValue().substring(0, EVIDENCE_VALUE_CAP) + "…")
                  .build());
    }
    if (c.getEvidenceCount() > EVIDENCE_PER_CHECK) {
      r.addEvidence(
          Evidence.newBuilder()
              .setSource("…")
              .setValue((c.getEvidenceCount() - EVIDENCE_PER_CHECK) + " more entries not kept"));
    }
    return r;
  }
}
