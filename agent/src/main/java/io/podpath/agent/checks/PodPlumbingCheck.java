package io.podpath.agent.checks;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Pod ports on the bridge against the pods expected on this node: a port with no pod (a leaked
 * veth) and a pod with no port. A port that exists but is in error is the {@code ovs} check's.
 */
public final class PodPlumbingCheck implements Check {
  public static final String ID = "pod-plumbing";

  @Override
  public String id() {
    return ID;
  }

  /** OVN-Kubernetes' management port (iface-id k8s-NODE) carries host traffic, not a pod. */
  static boolean isManagementPort(OvsSnapshot.Iface i) {
    return i.ifaceId().startsWith("k8s-") || i.name().equals("ovn-k8s-mp0");
  }

  static boolean isPodPort(OvsSnapshot.Iface i) {
    return !i.ifaceId().isEmpty()
        && !i.isTunnel()
        && !isManagementPort(i)
        && (i.type().isEmpty() || i.type().equals("system"));
  }

  @Override
  public CheckResult run(CheckContext ctx) {
    Findings f = new Findings(ID);
    OvsSnapshot snap;
    try {
      snap = ctx.ovs().snapshot();
    } catch (AccessException e) {
      return f.unknown("ovsdb unreachable: " + e.getMessage());
    }
    List<OvsSnapshot.Iface> ports =
        snap.interfaces().stream().filter(PodPlumbingCheck::isPodPort).toList();
    Set<String> portIds =
        ports.stream()
            .map(OvsSnapshot.Iface::ifaceId)
            .collect(Collectors.toCollection(TreeSet::new));
    f.evidence("pod ports (iface-id)", portIds);
    Set<String> expected =
        ctx.cluster().localPods().stream()
            .map(p -> p.pod().ifaceId())
            .collect(Collectors.toCollection(TreeSet::new));
    f.evidence("pods expected here", expected);
    if (expected.isEmpty() && ports.isEmpty()) {
      return f.notApplicable("no pod expected on this node and none plumbed");
    }
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(portIds);
    if (!missing.isEmpty()) {
      f.problem(
          CheckStatus.FAIL,
          "pods with no interface on the bridge: " + missing,
          "The CNI did not plumb these pods (or lost the port): look at the CNI/ovnkube-node log"
              + " and recreate the pods.");
    }
    if (!expected.isEmpty()) {
      Set<String> orphans = new TreeSet<>(portIds);
      orphans.removeAll(expected);
      if (!orphans.isEmpty()) {
        f.problem(
            CheckStatus.WARN,
            "ports with no pod: " + orphans,
            "Leaked veths of deleted pods: remove them (ovs-vsctl del-port; ip link del).");
      }
    }
    return f.result(ports.size() + " pod ports, every expected pod plumbed");
  }
}
