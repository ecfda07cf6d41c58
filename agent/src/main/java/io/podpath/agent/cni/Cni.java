package io.podpath.agent.cni;

import io.podpath.agent.errors.InvalidArgumentException;
import java.util.Arrays;
import java.util.Locale;

/** The OVS-based CNIs podpath knows, by the name the agent's {@code --cni} flag takes. */
public enum Cni {
  OVN_KUBERNETES("ovn-kubernetes"),
  OPENSHIFT_SDN("openshift-sdn"),
  ACI("aci"),
  ANTREA("antrea"),
  KUBE_OVN("kube-ovn");

  private final String flagName;

  Cni(String flagName) {
    this.flagName = flagName;
  }

  public String flagName() {
    return flagName;
  }

  /**
   * The CNI a {@code --cni} value names (case-insensitive).
   *
   * @throws InvalidArgumentException naming the accepted values
   */
  public static Cni parse(String name) {
    String want = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(c -> c.flagName.equals(want))
        .findFirst()
        .orElseThrow(
            () ->
                new InvalidArgumentException(
                    "cni",
                    "unknown CNI '"
                        + name
                        + "'; use one of "
                        + String.join(", ", Arrays.stream(values()).map(Cni::flagName).toList())));
  }

  @Override
  public String toString() {
    return flagName;
  }
}
