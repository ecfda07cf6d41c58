package io.podpath.aggregator.sweep;

import io.podpath.aggregator.model.PodPing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which hop of a blackholed path limits the packet size, from the facts both agents reported: the
 * sending pod itself (ping's local "message too long"), the tunnels of either node (the underlay
 * MTU minus the encapsulation overhead, as each agent budgets its tunnel ports), or the receiving
 * pod's MTU. Each hop named gets its own fix.
 */
final class MtuHops {
  private MtuHops() {}

  static MtuProbes.Outcome diagnose(
      MtuProbes.Path p,
      int podMtu,
      PodPing.Result big,
      List<MtuProbes.Ev> evidence,
      Optional<NodeFacts> sender,
      Optional<NodeFacts> receiver) {
    List<String> hops = new ArrayList<>();
    List<String> fixes = new ArrayList<>();
    List<MtuProbes.Ev> ev = new ArrayList<>(evidence);
    String detail = big.detail().toLowerCase(Locale.ROOT);
    if (detail.contains("message too long")) {
      hops.add("the sending pod " + p.src().ref() + " (its own interface refuses the size)");
      fixes.add(
          "The pod "
              + p.src().ref()
              + " has a smaller MTU than its node's pods ("
              + podMtu
              + "): recreate it so the CNI gives it the node's MTU.");
    }
    int tunnel = Integer.MAX_VALUE;
    String tunnelNode = "";
    for (Optional<NodeFacts> f : List.of(sender, receiver)) {
      if (f.isPresent() && f.get().tunnelPodMtu() > 0) {
        ev.add(
            new MtuProbes.Ev(
                "largest pod MTU the tunnels of " + f.get().node() + " carry",
                Integer.toString(f.get().tunnelPodMtu())));
        if (f.get().tunnelPodMtu() < tunnel) {
          tunnel = f.get().tunnelPodMtu();
          tunnelNode = f.get().node();
        }
      }
    }
    if (tunnel < podMtu) {
      hops.add(
          "the tunnel of "
              + tunnelNode
              + " (underlay MTU minus encapsulation carries pod MTU "
              + tunnel
              + " at most)");
      fixes.add(
          "Lower the pod MTU of "
              + p.a()
              + " from "
              + podMtu
              + " to "
              + tunnel
              + " (the CNI's MTU setting, then restart the pods), or raise the underlay MTU of "
              + tunnelNode
              + " by "
              + (podMtu - tunnel)
              + " bytes.");
    }
    // the receiving pod's own eth0 below its host veth: OVS delivers, the pod's interface drops
    NodeFacts.SmallPod small = receiver.map(NodeFacts::smallPod).orElse(NodeFacts.SmallPod.NONE);
    if (small.pod().equals(p.dst().ref().toString()) && small.mtu() < podMtu) {
      ev.add(new MtuProbes.Ev("eth0 MTU of " + small.pod(), Integer.toString(small.mtu())));
      hops.add("the receiving pod " + small.pod() + " (its eth0 MTU " + small.mtu() + ")");
      fixes.add(
          "The pod "
              + small.pod()
              + " has a smaller MTU ("
              + small.mtu()
              + ") than its node's pods ("
              + receiver.get().podMtu()
              + "): recreate it so the CNI gives it the node's MTU.");
    } else if (receiver.isPresent() && receiver.get().podMtu() > 0) {
      int r = receiver.get().podMtu();
      ev.add(new MtuProbes.Ev("pod MTU of " + p.b(), Integer.toString(r)));
      if (r < podMtu) {
        hops.add("the receiving pod " + p.dst().ref() + " (MTU " + r + ")");
        fixes.add(
            "Pods disagree on the MTU ("
                + p.a()
                + " "
                + podMtu
                + ", "
                + p.b()
                + " "
                + r
                + "): give every pod the same MTU, the smaller one unless the tunnels carry more.");
      }
    }
    if (hops.isEmpty()) {
      hops.add("a device between the nodes (every hop the agents see carries " + podMtu + ")");
      fixes.add(
          "The nodes' own MTUs allow "
              + podMtu
              + ": look for a smaller MTU on the underlay path between "
              + p.a()
              + " and "
              + p.b()
              + " (ping -M do -s SIZE between the node IPs; switches, VPN, cloud network).");
    }
    return new MtuProbes.Outcome(
        p.a(),
        MtuProbes.Verdict.FAILED,
        p.pair()
            + ": DF packets of "
            + podMtu
            + " bytes lost, small ones pass (MTU blackhole); limited by "
            + String.join(" and ", hops),
        List.copyOf(ev),
        String.join(" ", fixes));
  }
}
