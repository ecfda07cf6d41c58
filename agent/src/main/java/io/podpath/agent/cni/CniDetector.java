package io.podpath.agent.cni;

import io.podpath.agent.errors.FailedPreconditionException;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the CNI profile from what the node's OVSDB shows: bridges, port names and the
 * external_ids each CNI writes. {@code --cni NAME} overrides it. Signals are specific to one CNI
 * (Kube-OVN and OVN-Kubernetes both run ovn-controller on br-int, so the OVN signals are their own
 * ports and ids, not br-int).
 */
public final class CniDetector {
  private CniDetector() {}

  /** What each profile looks for, for the error when nothing matches. */
  static final Map<Cni, String> LOOKS_FOR =
      Map.of(
          Cni.OVN_KUBERNETES,
          "interface ovn-k8s-mp0, or interfaces with external_ids iface-id and sandbox",
          Cni.KUBE_OVN,
          "interface ovn0, or interfaces with external_ids vendor=kube-ovn",
          Cni.OPENSHIFT_SDN,
          "bridge br0 with ports vxlan0 and tun0",
          Cni.ACI,
          "bridges br-access and br-int joined by patch ports",
          Cni.ANTREA,
          "interface antrea-gw0 or antrea-tun0, or ports with external_ids antrea-type");

  /**
   * The profile for this node.
   *
   * @param override the agent's {@code --cni}, if given: used as is, with a warning in the evidence
   *     when the node shows another CNI
   * @throws FailedPreconditionException when no profile matches, or several do, naming what each
   *     looked for and the flag that settles it
   */
  public static Detection detect(OvsState ovs, Optional<Cni> override) {
    List<Detection> matches = new ArrayList<>();
    for (Cni cni : Cni.values()) {
      List<String> seen = signals(cni, ovs);
      if (!seen.isEmpty()) {
        matches.add(new Detection(CniProfiles.of(cni), false, seen));
      }
    }
    if (override.isPresent()) {
      Cni chosen = override.get();
      List<String> evidence = new ArrayList<>();
      evidence.add("--cni " + chosen.flagName());
      matches.stream()
          .filter(m -> m.profile().cni() != chosen)
          .forEach(
              m ->
                  evidence.add(
                      "warning: the node also looks like "
                          + m.profile().cni()
                          + " ("
                          + String.join("; ", m.evidence())
                          + ")"));
      return new Detection(CniProfiles.of(chosen), true, evidence);
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      List<String> looked =
          List.of(Cni.values()).stream().map(c -> c + ": " + LOOKS_FOR.get(c)).toList();
      throw new FailedPreconditionException(
          "no CNI profile matches this node's OVS (bridges "
              + ovs.bridges().stream().map(OvsState.OvsBridge::name).sorted().toList()
              + "); looked for "
              + String.join("; ", looked)
              + ". Start the agent with --cni NAME to choose one.");
    }
    throw new FailedPreconditionException(
        "this node's OVS matches several CNI profiles: "
            + String.join(
                "; ",
                matches.stream()
                    .map(m -> m.profile().cni() + " (" + String.join(", ", m.evidence()) + ")")
                    .toList())
            + ". Start the agent with --cni NAME to choose one.");
  }

  static List<String> signals(Cni cni, OvsState ovs) {
    List<String> seen = new ArrayList<>();
    switch (cni) {
      case OVN_KUBERNETES -> {
        has(ovs, "ovn-k8s-mp0").ifPresent(i -> seen.add("interface ovn-k8s-mp0"));
        ovs.interfaces().stream()
            .filter(
                i ->
                    i.externalIds().containsKey("iface-id")
                        && i.externalIds().containsKey("sandbox")
                        && !i.externalIds().containsKey("vendor"))
            .findFirst()
            .ifPresent(i -> seen.add("pod interface " + i.name() + " with iface-id and sandbox"));
      }
      case KUBE_OVN -> {
        has(ovs, "ovn0").ifPresent(i -> seen.add("interface ovn0"));
        ovs.interfaces().stream()
            .filter(i -> "kube-ovn".equals(i.externalIds().get("vendor")))
            .findFirst()
            .ifPresent(i -> seen.add("interface " + i.name() + " with vendor=kube-ovn"));
      }
      case OPENSHIFT_SDN -> {
        if (ovs.bridge("br0").isPresent()
            && has(ovs, "vxlan0").isPresent()
            && has(ovs, "tun0").isPresent()) {
          seen.add("bridge br0 with vxlan0 and tun0");
        }
      }
      case ACI -> {
        boolean patched =
            ovs.interfaces().stream()
                .anyMatch(i -> "patch".equals(i.type()) && i.name().startsWith("pi-"));
        if (ovs.bridge("br-access").isPresent() && ovs.bridge("br-int").isPresent() && patched) {
          seen.add("bridges br-access and br-int with pi-/pa- patch ports");
        }
      }
      case ANTREA -> {
        has(ovs, "antrea-gw0").ifPresent(i -> seen.add("interface antrea-gw0"));
        has(ovs, "antrea-tun0").ifPresent(i -> seen.add("interface antrea-tun0"));
        ovs.ports().stream()
            .filter(p -> p.externalIds().containsKey("antrea-type"))
            .findFirst()
            .ifPresent(p -> seen.add("port " + p.name() + " with antrea-type"));
      }
    }
    return seen;
  }

  private static Optional<OvsInterface> has(OvsState ovs, String name) {
    return ovs.interfaceByName(name);
  }
}
