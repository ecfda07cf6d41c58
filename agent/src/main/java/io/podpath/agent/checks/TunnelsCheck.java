package io.podpath.agent.checks;

import java.util.List;
import java.util.Optional;

/** A working tunnel to every peer the aggregator named. */
public final class TunnelsCheck implements Check {
  public static final String ID = "tunnels";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CheckResult run(CheckContext ctx) {
    Findings f = new Findings(ID);
    List<ClusterFacts.Peer> peers =
        ctx.cluster().peers().stream().filter(p -> !p.name().equals(ctx.nodeName())).toList();
    if (peers.isEmpty()) {
      return f.notApplicable("no peer node in the cluster context: nothing to tunnel to");
    }
    OvsSnapshot snap;
    try {
      snap = ctx.ovs().snapshot();
    } catch (AccessException e) {
      return f.unknown("ovsdb unreachable: " + e.getMessage());
    }
    List<OvsSnapshot.Iface> tunnels =
        snap.interfaces().stream().filter(OvsSnapshot.Iface::isTunnel).toList();
    for (OvsSnapshot.Iface t : tunnels) {
      f.evidence(
          "tunnel " + t.name(),
          t.type()
              + " remote_ip="
              + t.remoteIp()
              + " ofport="
              + t.ofport()
              + (t.error().isEmpty() ? "" : " error=" + t.error()));
    }
    int ok = 0;
    for (ClusterFacts.Peer p : peers) {
      if (p.encapIp().isEmpty()) {
        f.evidence("peer " + p.name(), "no encap IP known: not checked");
        continue;
      }
      Optional<OvsSnapshot.Iface> t =
          tunnels.stream().filter(i -> i.remoteIp().equals(p.encapIp())).findFirst();
      if (t.isEmpty()) {
        f.problem(
            CheckStatus.FAIL,
            "no tunnel to " + p.name() + " (" + p.encapIp() + ")",
            "Check the peer's chassis/encap registration (ovn-sbctl show) and ovn-controller's"
                + " log on this node; the tunnel port is created from the peer's Encap row.");
      } else if (!t.get().error().isEmpty() || t.get().ofport() <= 0) {
        f.problem(
            CheckStatus.FAIL,
            "tunnel "
                + t.get().name()
                + " to "
                + p.name()
                + " broken: ofport "
                + t.get().ofport()
                + " "
                + t.get().error(),
            "Recreate the tunnel port; check the tunnel type is supported by the datapath.");
      } else {
        ok++;
      }
    }
    return f.result("tunnels to all " + ok + " peers present");
  }
}
