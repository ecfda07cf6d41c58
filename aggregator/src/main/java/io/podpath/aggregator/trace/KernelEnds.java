package io.podpath.aggregator.trace;

import io.podpath.aggregator.model.KernelResult;
import io.podpath.aggregator.model.Outcome;
import java.util.Optional;

/**
 * A direction's result when the node's kernel, not OVS, ends the packet's trip on a node: it routed
 * it out of the cluster, a process on the node took it, or the kernel dropped it.
 */
final class KernelEnds {
  /** A kernel drop has no OVS table: the summary names the cause instead. */
  static final int NO_TABLE = -1;

  private KernelEnds() {}

  static DirectionResult end(DirectionRun run, String node, KernelResult k) {
    Goal goal = run.goal;
    if (k instanceof KernelResult.Forwarded f) {
      String via =
          node
              + " via "
              + f.device()
              + (f.gateway().isEmpty() ? "" : " (gateway " + f.gateway() + ")");
      // An egress source equal to the original one is no SNAT: say nothing.
      Optional<String> snat =
          Optional.of(f.egressSource()).filter(s -> !s.isEmpty() && !s.equals(run.packet.srcIp()));
      return run.routedOut(via, snat);
    }
    if (k instanceof KernelResult.DeliveredLocal d) {
      // A hostNetwork pod is its node's stack: the node's kernel taking the packet delivers it.
      if (goal.pod().map(p -> p.hostNetwork() && p.node().equals(node)).orElse(true)) {
        return run.delivered();
      }
      return run.inconclusive(
          "a process on "
              + node
              + " receives the packet"
              + (d.address().isEmpty() ? "" : " at " + d.address())
              + ", not "
              + goal.to());
    }
    if (k instanceof KernelResult.Dropped d) {
      return run.dropped(
          node,
          Optional.of(new Outcome.Drop(NO_TABLE, d.cause(), Optional.empty(), d.causeCode())));
    }
    KernelResult.Inconclusive i = (KernelResult.Inconclusive) k;
    return run.inconclusive("the kernel of " + node + ": " + i.why());
  }
}
