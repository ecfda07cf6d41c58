package io.podpath.aggregator.api;

import io.podpath.aggregator.agents.SweepCalls;
import io.podpath.aggregator.sweep.NodeResult;
import io.podpath.aggregator.sweep.SweepProgress;
import io.podpath.aggregator.sweep.SweepReport;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.SweepResult;
import io.podpath.proto.v1.SweepUpdate;
import java.util.concurrent.atomic.AtomicReference;

/** The API's form of the sweep's records: what `podpath sweep`, `status` and the web page get. */
public final class SweepProtos {
  /**
   * The last result mapped: `status` (polled by the web page) and the sweep's final update send the
   * same result again and again; at 5,000 nodes its message is tens of MiB to rebuild.
   */
  private static final AtomicReference<Mapped> LAST = new AtomicReference<>();

  private record Mapped(SweepReport report, SweepResult message) {}

  private SweepProtos() {}

  public static SweepResult result(SweepReport r) {
    Mapped last = LAST.get();
    if (last != null && last.report() == r) {
      return last.message();
    }
    SweepResult m = map(r);
    LAST.set(new Mapped(r, m));
    return m;
  }

  private static SweepResult map(SweepReport r) {
    SweepResult.Builder b =
        SweepResult.newBuilder()
            .setStartedAt(r.startedAt().toString())
            .setFinishedAt(r.finishedAt().toString());
    r.nodes().forEach(n -> b.addNodes(node(n)));
    r.clusterChecks().forEach(c -> b.addClusterChecks(SweepCalls.check(c)));
    return b.build();
  }

  static NodeReport node(NodeResult n) {
    NodeReport.Builder b = NodeReport.newBuilder().setNode(n.node());
    n.error().ifPresent(b::setError);
    n.checks().forEach(c -> b.addChecks(SweepCalls.check(c)));
    return b.build();
  }

  public static SweepUpdate update(SweepProgress p) {
    SweepUpdate.Builder b =
        SweepUpdate.newBuilder().setNodesTotal(p.total()).setNodesDone(p.done());
    p.node().ifPresent(n -> b.setNode(node(n)));
    p.result().ifPresent(r -> b.setResult(result(r)));
    return b.build();
  }
}
