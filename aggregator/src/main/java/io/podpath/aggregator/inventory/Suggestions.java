package io.podpath.aggregator.inventory;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * "Did you mean …?" for a name that is not in the inventory: the closest names by edit distance
 * (Levenshtein), and the other kind of object when the name exists as that (a pod named where a
 * Service was meant, and the other way round).
 */
public final class Suggestions {
  private Suggestions() {}

  /** The hint after "pod NS/NAME not found": "; did you mean default/client-1?" or "". */
  public static String forPod(ClusterIndex index, ObjectRef missing) {
    if (index.service(missing).isPresent()) {
      return "; there is a Service of that name: did you mean svc/" + missing + "?";
    }
    return closest(
            missing.toString(), index.allPods().stream().map(p -> p.ref().toString()).toList())
        .map(s -> "; did you mean " + s + "?")
        .orElse("");
  }

  /** The hint after "service NS/NAME not found". */
  public static String forService(ClusterIndex index, ObjectRef missing) {
    if (index.pod(missing).isPresent()) {
      return "; there is a pod of that name: did you mean " + missing + "?";
    }
    return closest(
            missing.toString(), index.allServices().stream().map(s -> s.ref().toString()).toList())
        .map(s -> "; did you mean svc/" + s + "?")
        .orElse("");
  }

  /** The hint for an unknown node or check id among {@code known}. */
  public static String among(String missing, Collection<String> known) {
    return closest(missing, known).map(s -> "; did you mean " + s + "?").orElse("");
  }

  /**
   * The known name nearest to {@code missing}, when it is near enough to be a typo: at most a third
   * of the name's length (and at least 1, at most 3) edits away.
   */
  public static Optional<String> closest(String missing, Collection<String> known) {
    int limit = Math.max(1, Math.min(3, missing.length() / 3));
    return known.stream()
        .map(k -> new Scored(k, distance(missing, k)))
        .filter(s -> s.distance() <= limit)
        .min(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
        .map(Scored::name);
  }

  private record Scored(String name, int distance) {}

  /** Levenshtein distance (insert, delete, substitute; each costs 1). */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
