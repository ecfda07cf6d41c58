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
    for (String b : bridges) {
      if (snap.bridge(b).isEmpty()) {
        f.problem(
            CheckStatus.FAIL,
            "bridge " + b + " missing",
            "Recreate " + b + " (restart the CNI's node component, e.g. ovnkube-node).");
      }
    }
    List<String> broken = new ArrayList<>();
    for (OvsSnapshot.Iface i : snap.interfaces()) {
      if (!i.error().isEmpty() || i.ofport() == -1) {
        broken.add(
            i.name()
                + " on "
                + i.bridge()
                + " (ofport "
                + i.ofport()
                + (i.error().isEmpty() ? "" : ", error: " + i.error())
                + ")");
      }
    }
    if (!broken.isEmpty()) {
      f.evidence("interfaces in error", String.join("; ", broken));
      f.problem(
          CheckStatus.FAIL,
          "interface(s) in error: " + String.join("; ", broken),
          "Look at the interface's error column (ovs-vsctl list interface NAME): recreate the"
              + " missing device or delete the stale port (ovs-vsctl del-port).");
    }
    return f.result(
        "ovsdb-server and ovs-vswitchd answer; bridges "
            + bridges
            + " present; no interface in error");
  }
}
