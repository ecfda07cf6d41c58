package io.podpath.agent.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** ovsdb-server and ovs-vswitchd answer, expected bridges exist, no interface in error. */
public final class OvsCheck implements Check {
  public static final String ID = "ovs";
  private final Set<String> expectedBridges;

  public OvsCheck(Set<String> expectedBridges) {
    this.expectedBridges = Set.copyOf(expectedBridges);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CheckResult run(CheckContext ctx) {
    Findings f = new Findings(ID);
    OvsSnapshot snap;
    try {
      snap = ctx.ovs().snapshot();
      f.evidence(
          "ovsdb", snap.bridges().size() + " bridges, " + snap.interfaces().size() + " interfaces");
    } catch (AccessException e) {
      f.problem(
          CheckStatus.FAIL,
          "ovsdb-server unreachable: " + e.getMessage(),
          "Start ovsdb-server (ovs-ctl start) and check its socket and log.");
      return f.result("");
    }
    try {
      String version = ctx.ovs().unixctl("version", List.of()).strip();
      f.evidence("ovs-appctl version", version.lines().findFirst().orElse(""));
    } catch (AccessException e) {
      f.problem(
          CheckStatus.FAIL,
          "ovs-vswitchd unreachable: " + e.getMessage(),
          "Start ovs-vswitchd and check ovs-vswitchd.log: without it no packet is switched.");
    }
    // the CNI's own bridges (br0 for OpenShift SDN, br-access and br-int for ACI) when known
    Set<String> bridges =
        ctx.ovs().cni().<Set<String>>map(p -> new TreeSet<>(p.bridges())).orElse(expectedBridges);
    String agent = NodeAgent.of(ctx, snap);
    for (String b : bridges) {
      if (snap.bridge(b).isEmpty()) {
        f.problem(
            CheckStatus.FAIL,
            "bridge " + b + " missing",
            "Restart " + agent + " on this node: it creates " + b + " and its ports.");
      }
    }
    List<String> broken = new ArrayList<>();
    List<String> remedies = new ArrayList<>();
    PodPortNames pods = new PodPortNames(ctx, f, snap);
    for (OvsSnapshot.Iface i : snap.interfaces()) {
      if (!i.error().isEmpty() || i.ofport() == -1) {
        broken.add(describe(i, pods));
        remedies.add(remediation(i, pods, ctx, snap, agent));
      }
    }
    if (!broken.isEmpty()) {
      f.evidence("interfaces in error", String.join("; ", broken));
      for (int k = 0; k < broken.size(); k++) {
        f.problem(CheckStatus.FAIL, "interface in error: " + broken.get(k), remedies.get(k));
      }
    }
    return f.result(
        "ovsdb-server and ovs-vswitchd answer; bridges "
            + bridges
            + " present; no interface in error");
  }

  /** The port, and for a pod's port the pod it belongs to (what the reader acts on). */
  private static String describe(OvsSnapshot.Iface i, PodPortNames pods) {
    return i.name()
        + " on "
        + i.bridge()
        + (pods.isPodPort(i) ? " (port of " + pods.podOf(i) + ")" : "")
        + " (ofport "
        + i.ofport()
        + (i.error().isEmpty() ? "" : ", error: " + i.error())
        + ")";
  }

  /**
   * A pod's port is the CNI's to re-plumb (deleting it by hand leaves the pod without a network); a
   * tunnel port is its owner's to re-create; anything else is the admin's own port.
   */
  private static String remediation(
      OvsSnapshot.Iface i, PodPortNames pods, CheckContext ctx, OvsSnapshot snap, String agent) {
    if (pods.isPodPort(i)) {
      return PodPlumbingCheck.recreate(agent);
    }
    if (i.isTunnel()) {
      return TunnelsCheck.brokenRemediation(NodeAgent.tunnelOwner(ctx, snap));
    }
    return "Look at the interface's error column (ovs-vsctl list interface "
        + i.name()
        + "): recreate the missing device, or delete the port if nothing uses it any more"
        + " (ovs-vsctl del-port "
        + i.name()
        + ").";
  }
}
