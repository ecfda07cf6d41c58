package io.podpath.aggregator.connect;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Which aggregator pod to forward to, and to which port. Pure: no API calls. */
final class PodChooser {
  private PodChooser() {}

  /** A Running, Ready pod not being deleted; the first by name, so repeated calls agree. */
  static Optional<Pod> choose(List<Pod> pods) {
    return pods.stream()
        .filter(PodChooser::serving)
        .min(Comparator.comparing(p -> p.getMetadata().getName()));
  }

  static boolean serving(Pod pod) {
    if (pod.getMetadata() == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
      return false;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The container port with that name, in any container of the pod. */
  static Optional<Integer> port(Pod pod, String name) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return Optional.empty();
    }
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getPorts() == null) {
        continue;
      }
      for (ContainerPort p : c.getPorts()) {
        if (name.equals(p.getName()) && p.getContainerPort() != null) {
          return Optional.of(p.getContainerPort());
        }
      }
    }
    return Optional.empty();
  }

  /** "2 pods, none ready: web-1 (Pending), web-2 (Running, not ready)" for the error message. */
  static String describe(List<Pod> pods) {
    if (pods.isEmpty()) {
      return "no pods match its selector";
    }
    StringBuilder sb = new StringBuilder(pods.size() + " pod(s), none ready:");
    for (Pod p : pods) {
      String phase = p.getStatus() == null ? "unknown" : p.getStatus().getPhase();
      sb.append(' ').append(p.getMetadata().getName()).append(" (").append(phase);
      if (p.getMetadata().getDeletionTimestamp() != null) {
        sb.append(", terminating");
      } else if ("Running".equals(phase)) {
        sb.append(", not ready");
      }
      sb.append(')');
    }
    return sb.toString();
  }
}
