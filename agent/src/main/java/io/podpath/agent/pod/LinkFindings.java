package io.podpath.agent.pod;

import io.podpath.agent.ip.IpLink;
import io.podpath.agent.ip.IpRoute;
import io.podpath.agent.ovsdb.OvsState;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The disagreements InspectPod reports beyond the mapping itself: links down, a netns without
 * routes, a pod without an OVS port. Each is a finding (the call still answers), so the CLI exits 1
 * naming it instead of failing the call.
 */
final class LinkFindings {
  private LinkFindings() {}

  /** UP, or UNKNOWN with the UP flag (a link that reports no state). */
  static boolean up(IpLink l) {
    return l.operstate().equals("UP")
        || (l.operstate().equals("UNKNOWN") && l.flags().contains("UP"));
  }

  /** The pod's interface and its host veth up; routes present, a default route among them. */
  static void check(IpLink eth, IpLink veth, List<IpRoute> routes, List<Finding> out) {
    if (!up(eth)) {
      out.add(
          Finding.error(
              "pod-interface-down",
              "the pod's " + eth.name() + " is " + eth.operstate() + ": the pod is cut off"));
    }
    if (!up(veth)) {
      out.add(
          Finding.error(
              "host-veth-down",
              "host veth " + veth.name() + " is " + veth.operstate() + ": the pod is cut off"));
    }
    if (routes.isEmpty()) {
      out.add(
          Finding.error(
              "no-routes",
              "the pod's network namespace has no route (main table): it can reach nothing"));
    } else if (routes.stream().noneMatch(r -> r.destination().equals("default"))) {
      out.add(
          Finding.warning(
              "no-default-route",
              "the pod's network namespace has no default route: only "
                  + routes.stream().map(IpRoute::destination).toList()
                  + " are reachable"));
    }
  }

  /**
   * No OVS interface carries the pod's iface-id: its port is off the bridge (or was never added).
   * Host links whose peer is in another namespace (veths to pods) and that are on no bridge are
   * named, since one of them is likely the pod's.
   */
  static Finding noPort(PodKey pod, String node, OvsState ovs, List<IpLink> hostLinks) {
    Set<String> onBridges =
        ovs.interfaces().stream().map(OvsState.OvsInterface::name).collect(Collectors.toSet());
    Set<String> loose =
        hostLinks.stream()
            .filter(l -> l.linkNetnsid().isPresent() && !onBridges.contains(l.name()))
            .map(IpLink::name)
            .collect(Collectors.toCollection(TreeSet::new));
    return Finding.error(
        "port-missing",
        "no OVS interface on node "
            + node
            + " has external_ids:iface-id="
            + pod.ifaceId()
            + ": the pod's port is off the bridge (or was never added), so the pod is cut off"
            + (loose.isEmpty() ? "" : "; host veths to another netns on no OVS bridge: " + loose));
  }
}
