package io.podpath.agent.checks;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A working tunnel to every peer: either the peers the aggregator named (older aggregators, O(N)
 * per request) or the cluster's {@link ClusterFacts.PeerSet} digest, against which only a mismatch
 * can be told; the sweep then names the missing peers from the node's summary.
 */
public final class TunnelsCheck implements Check {
  public static final String ID = "tunnels";

  /** Broken tunnels and remote IPs named in evidence at most, so a report stays small. */
  static final int EVIDENCE_ITEMS = 10;

  static final String NO_TUNNEL_REMEDIATION =
      "Check the peer's chassis/encap registration (ovn-sbctl show) and ovn-controller's"
          + " log on this node; the tunnel port is created from the peer's Encap row.";

  /** Without OVN nobody reads an Encap row: the CNI's node agent (or an admin) adds the port. */
  static final String NO_TUNNEL_REMEDIATION_PLAIN_OVS =
      "The tunnel port to this peer is missing: the CNI's node agent that manages this bridge"
          + " creates it (look at its log on this node); ovs-vsctl show lists the tunnel ports"
          + " and their remote_ip.";

  static String noTunnelRemediation(OvsSnapshot snap) {
    return snap.isOvn() ? NO_TUNNEL_REMEDIATION : NO_TUNNEL_REMEDIATION_PLAIN_OVS;
  }

  static final String FLOW_REMEDIATION =
      "The node's flows miss this peer (OpenShift SDN: its HostSubnet's flows in tables 10/50/90):"
          + " check the CNI's node agent log and restart it so it rewrites its flows.";

  /**
   * A tunnel port OVS cannot open: its error column says why; {@code owner} re-creates it (an admin
   * deleting an OVN port only makes ovn-controller add it back broken the same way).
   */
  static String brokenRemediation(String owner) {
    return "OVS cannot open the tunnel port: its error column (ovs-vsctl list interface NAME) says"
        + " why, e.g. a tunnel type the datapath does not support or a missing local IP; fix that"
        + " and restart "
        + owner
        + " on this node, which re-creates the port.";
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CheckResult run(CheckContext ctx) {
    Findings f = new Findings(ID);
    List<ClusterFacts.Peer> peers =
        ctx.cluster().peers().stream().filter(p -> !p.name().equals(ctx.nodeName())).toList();
    Optional<ClusterFacts.PeerSet> set = ctx.cluster().peerSet();
    if (peers.isEmpty() && set.map(s -> s.peers() <= 0).orElse(true)) {
      return f.notApplicable("no peer node in the cluster context: nothing to tunnel to");
    }
    OvsSnapshot snap;
    try {
      snap = ctx.ovs().snapshot();
    } catch (AccessException e) {
      return f.unknown("ovsdb unreachable: " + e.getMessage());
    }
    List<OvsSnapshot.Iface> tunnels;
    try {
      tunnels = FlowTunnels.expand(ctx, snap);
    } catch (AccessException e) {
      return f.unknown("flows of the flow-based tunnel port unreadable: " + e.getMessage());
    }
    if (ctx.ovs().cni().map(p -> p.tunnels().viaFabric()).orElse(false)) {
      return FlowTunnels.toFabric(f, snap, tunnels, NodeAgent.of(ctx, snap));
    }
    String owner = NodeAgent.tunnelOwner(ctx, snap);
    return peers.isEmpty()
        ? byDigest(f, snap, tunnels, set.get(), owner)
        : byPeer(f, snap, tunnels, peers, owner);
  }

  private static CheckResult byDigest(
      Findings f,
      OvsSnapshot snap,
      List<OvsSnapshot.Iface> tunnels,
      ClusterFacts.PeerSet set,
      String owner) {
    TunnelPorts t = TunnelPorts.of(new OvsSnapshot(List.of(), tunnels, Map.of()));
    f.evidence(
        "tunnel ports", t.workingRemotes().size() + " working, " + t.broken().size() + " broken");
    t.broken().stream()
        .limit(EVIDENCE_ITEMS)
        .forEach(
            b -> {
              f.evidence("tunnel " + b.name(), describe(b));
              f.problem(
                  CheckStatus.FAIL,
                  "tunnel " + b.name() + " to " + b.remoteIp() + " broken: " + state(b),
                  brokenRemediation(owner));
            });
    if (t.broken().size() > EVIDENCE_ITEMS) {
      f.problem(
          CheckStatus.FAIL,
          (t.broken().size() - EVIDENCE_ITEMS) + " more broken tunnel ports",
          brokenRemediation(owner));
    }
    if (!set.matchedBy(t.workingRemotes())) {
      f.evidence("working tunnels' remote_ip", capped(t.workingRemotes().stream().toList()));
      f.evidence(
          "cluster encap IPs",
          set.count() + " (sha256 " + set.sha256() + "), this node's " + set.selfEncapIp());
      f.problem(
          CheckStatus.FAIL,
          "working tunnels to "
              + t.workingRemotes().size()
              + " remote IPs do not match the cluster's "
              + set.peers()
              + " peers (a sweep names the missing ones)",
          noTunnelRemediation(snap));
    }
    return f.result("tunnels to all " + set.peers() + " peers present");
  }

  private static CheckResult byPeer(
      Findings f,
      OvsSnapshot snap,
      List<OvsSnapshot.Iface> tunnels,
      List<ClusterFacts.Peer> peers,
      String owner) {
    for (OvsSnapshot.Iface t : snap.interfaces()) {
      if (FlowTunnels.flowBased(t)) {
        f.evidence(
            "tunnel " + t.name(),
            describe(t)
                + "; peers from its bridge's flows (set_field:IP->tun_dst): "
                + capped(
                    tunnels.stream()
                        .filter(x -> x.name().equals(t.name()) && !x.remoteIp().equals("flow"))
                        .map(OvsSnapshot.Iface::remoteIp)
                        .toList()));
      } else if (t.isTunnel()) {
        f.evidence("tunnel " + t.name(), describe(t));
      }
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
            "no tunnel to " + p.name() + " (" + p.encapIp() + ")" + flowHint(snap, p),
            flowHint(snap, p).isEmpty() ? noTunnelRemediation(snap) : FLOW_REMEDIATION);
      } else if (!t.get().error().isEmpty() || t.get().ofport() <= 0) {
        f.problem(
            CheckStatus.FAIL,
            "tunnel " + t.get().name() + " to " + p.name() + " broken: " + state(t.get()),
            brokenRemediation(owner));
      } else {
        ok++;
      }
    }
    return f.result("tunnels to all " + ok + " peers present");
  }

  /** For a flow-based port, what was missing: no flow sends to the peer. */
  private static String flowHint(OvsSnapshot snap, ClusterFacts.Peer p) {
    return snap.interfaces().stream()
        .filter(FlowTunnels::flowBased)
        .findFirst()
        .map(
            t ->
                ": no flow on "
                    + t.bridge()
                    + (p.encapIp().contains(":") ? " sets tun_ipv6_dst=" : " sets tun_dst=")
                    + p.encapIp()
                    + " for the flow-based port "
                    + t.name())
        .orElse("");
  }

  private static String describe(OvsSnapshot.Iface t) {
    return t.type()
        + " remote_ip="
        + t.remoteIp()
        + " ofport="
        + t.ofport()
        + (t.error().isEmpty() ? "" : " error=" + t.error());
  }

  private static String state(OvsSnapshot.Iface t) {
    return "ofport " + t.ofport() + " " + t.error();
  }

  static String capped(List<String> items) {
    if (items.size() <= EVIDENCE_ITEMS) {
      return items.toString();
    }
    return items.subList(0, EVIDENCE_ITEMS) + " … (" + items.size() + " in all)";
  }
}
