package io.podpath.agent.checks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The node's tunnel ports split into working ones (by distinct remote IP) and broken ones (OVS
 * reports an error or no ofport). A working tunnel is one a peer's packets can take.
 */
record TunnelPorts(SortedSet<String> workingRemotes, List<OvsSnapshot.Iface> broken) {
  TunnelPorts {
    workingRemotes = Collections.unmodifiableSortedSet(new TreeSet<>(workingRemotes));
    broken = List.copyOf(broken);
  }

  static TunnelPorts of(OvsSnapshot snap) {
    return of(snap.interfaces());
  }

  /** As {@link #of(OvsSnapshot)}, a flow-based port counting once for each peer its flows name. */
  static TunnelPorts of(CheckContext ctx, OvsSnapshot snap) throws AccessException {
    return of(FlowTunnels.expand(ctx, snap));
  }

  private static TunnelPorts of(List<OvsSnapshot.Iface> interfaces) {
    SortedSet<String> working = new TreeSet<>();
    List<OvsSnapshot.Iface> broken = new ArrayList<>();
    for (OvsSnapshot.Iface i : interfaces) {
      if (!i.isTunnel()) {
        continue;
      }
      if (i.error().isEmpty() && i.ofport() > 0) {
        working.add(i.remoteIp());
      } else {
        broken.add(i);
      }
    }
    return new TunnelPorts(working, broken);
  }

  /** Broken tunnel ports whose remote IP no working port covers. */
  List<OvsSnapshot.Iface> brokenWithoutWorkingTwin() {
    return broken.stream().filter(b -> !workingRemotes.contains(b.remoteIp())).toList();
  }
}
