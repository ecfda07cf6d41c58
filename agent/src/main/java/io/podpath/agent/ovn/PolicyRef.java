package io.podpath.agent.ovn;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** A Kubernetes NetworkPolicy as named by OVN-Kubernetes in an ACL or port group. */
public record PolicyRef(String namespace, String name, Direction direction) {
  public enum Direction {
    UNSPECIFIED,
    INGRESS,
    EGRESS;

    /** OVN-Kubernetes writes "Ingress"/"Egress" (policy-type, direction keys). */
    static Direction of(@Nullable String text) {
      if (text == null) {
        return UNSPECIFIED;
      }
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "ingress" -> INGRESS;
        case "egress" -> EGRESS;
        default -> UNSPECIFIED;
      };
    }
  }

  /** "NetworkPolicy NS/NAME (ingress)", the summary podpath prints for a drop. */
  public String describe() {
    String dir =
        direction == Direction.UNSPECIFIED
            ? ""
            : " (" + direction.name().toLowerCase(Locale.ROOT) + ")";
    if (name.isEmpty()) {
      // a namespace default deny whose policy could not be told (no NB, or no port group)
      return "NetworkPolicy default deny in namespace " + namespace + dir;
    }
    return "NetworkPolicy " + namespace + "/" + name + dir;
  }
}
