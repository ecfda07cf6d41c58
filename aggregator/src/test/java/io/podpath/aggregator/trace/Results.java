package io.podpath.aggregator.trace;

import static org.assertj.core.api.Assertions.fail;

import io.podpath.aggregator.model.Outcome;
import io.podpath.aggregator.model.Outcome.ToTunnel;
import java.util.Optional;

/** The facts of one verdict, failing the test when the verdict is another. */
final class Results {
  private Results() {}

  static String reason(DirectionResult d) {
    if (d instanceof DirectionResult.Inconclusive i) {
      return i.reason();
    }
    return fail("expected INCONCLUSIVE, got " + d);
  }

  static String droppedNode(DirectionResult d) {
    return dropped(d).node();
  }

  static Optional<Outcome.Drop> drop(DirectionResult d) {
    return dropped(d).drop();
  }

  static String leftVia(DirectionResult d) {
    if (d instanceof DirectionResult.LeftCluster l) {
      return l.via();
    }
    return fail("expected LEFT_CLUSTER, got " + d);
  }

  static ToTunnel tunnel(Hop h) {
    if (h.answer().outcome() instanceof ToTunnel t) {
      return t;
    }
    return fail("expected a tunnel outcome, got " + h.answer().outcome());
  }

  private static DirectionResult.Dropped dropped(DirectionResult d) {
    if (d instanceof DirectionResult.Dropped x) {
      return x;
    }
    return fail("expected DROPPED, got " + d);
  }
}
