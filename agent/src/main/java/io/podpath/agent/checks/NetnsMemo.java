package io.podpath.agent.checks;

import io.podpath.agent.pod.PodKey;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Each pod's network namespace located (and proven) once for all the checks of one run: proving it
 * is a whole pod inspection (OVSDB, the host's links, ethtool, a search of the namespaces), which
 * pod-plumbing, mtu and dns would otherwise each repeat per pod. A failed lookup is kept too, so a
 * broken pod costs one inspection, not one per check. Never outlives the run: a pod recreated
 * between runs is looked up afresh.
 */
final class NetnsMemo implements Function<PodKey, Optional<Path>> {
  private final Function<PodKey, Optional<Path>> lookup;
  private final Map<PodKey, Outcome> seen = new ConcurrentHashMap<>();

  private record Outcome(Optional<Path> netns, @Nullable RuntimeException error) {}

  NetnsMemo(Function<PodKey, Optional<Path>> lookup) {
    this.lookup = lookup;
  }

  @Override
  public Optional<Path> apply(PodKey pod) {
    Outcome o =
        seen.computeIfAbsent(
            pod,
            k -> {
              try {
                return new Outcome(lookup.apply(k), null);
              } catch (RuntimeException e) {
                return new Outcome(Optional.empty(), e);
              }
            });
    RuntimeException error = o.error();
    if (error != null) {
      throw error;
    }
    return o.netns();
  }
}
